package dev.ssilab.cluster;

import java.nio.file.Path;

/**
 * What {@code ssi-start} asks for: the seed contract's arguments, resolved to absolute paths.
 *
 * @param kernel null for the backend's default kernel
 * @param initrd null for none
 */
public record StartRequest(String backend, int nodes, Path root, int swapMb, Path kernel, Path initrd) {}
