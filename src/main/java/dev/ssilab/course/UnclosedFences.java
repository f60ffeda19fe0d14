package dev.ssilab.course;

import java.nio.file.Path;
import java.util.List;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;

/**
 * Finds code fences that are never closed. Markdown lets such a block run to the end of the lesson
 * (or of its quote), so one missing ``` silently swallows the steps after it into a code block; lint
 * names the line that opened it instead.
 */
final class UnclosedFences {
    private UnclosedFences() {}

    static void report(Path file, Node doc, List<Problem> problems) {
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(FencedCodeBlock fence) {
                if (fence.getClosingFenceLength() == null) {
                    String opening = fence.getFenceCharacter().repeat(Math.max(3, fence.getOpeningFenceLength()));
                    int line = fence.getSourceSpans().isEmpty() ? 1 : fence.getSourceSpans().get(0).getLineIndex() + 1;
                    problems.add(new Problem(file, line, "the code block opened here with " + opening
                            + " is never closed: add a line " + opening + " where it ends"));
                }
            }
        });
    }
}
