package dev.ssilab.course;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A loaded, valid course: its lessons in file-name order. */
public record Course(Path dir, List<Lesson> lessons) {

    public Course {
        lessons = List.copyOf(lessons);
    }

    public Optional<Lesson> lesson(String id) {
        return lessons.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    public int indexOf(String id) {
        for (int i = 0; i < lessons.size(); i++) {
            if (lessons.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> ids() {
        return lessons.stream().map(Lesson::id).toList();
    }
}
