package dev.ssilab.cluster;

/** CLMS node states, as OpenSSI names them (docs/SSI.md). */
public enum NodeState {
    NEVERUP, COMINGUP, UP, SHUTDOWN, GOINGDOWN, KCLEANUP, UCLEANUP, DOWN;

    public boolean isUp() {
        return this == UP;
    }
}
