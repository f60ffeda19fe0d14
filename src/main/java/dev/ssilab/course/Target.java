package dev.ssilab.course;

/** Where a block runs: the learner's host shell, or a node of the learner's cluster. */
public sealed interface Target permits Target.Host, Target.Node {

    record Host() implements Target {
        @Override
        public String toString() {
            return "host";
        }
    }

    record Node(int number) implements Target {
        @Override
        public String toString() {
            return "node:" + number;
        }
    }

    Target HOST = new Host();

    /** Parses the value of an {@code on=} attribute; null when it is not one. */
    static Target parse(String value) {
        if (value.equals("host")) {
            return HOST;
        }
        if (value.matches("node:([1-9]|1[0-5])")) {
            return new Node(Integer.parseInt(value.substring(5)));
        }
        return null;
    }
}
