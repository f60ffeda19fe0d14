package dev.ssilab.course;

import java.time.Duration;

/**
 * One fenced block of a step: its role, code, where it runs and how long it may take.
 *
 * @param timeout null for the runner's default for the role
 * @param line the line of the opening fence in the lesson file
 */
public record Block(Role role, String language, String code, Target target, Duration timeout, int line) {}
