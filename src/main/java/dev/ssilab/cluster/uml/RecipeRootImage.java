package dev.ssilab.cluster.uml;

import dev.ssilab.cluster.RootImageMaker;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Provides {@link RootImageMaker}: the root image as 'ssilab rootfs build' makes it ({@link RootfsBuilder}). */
public final class RecipeRootImage implements RootImageMaker {
    @Override
    public void build(Path recipe, Path image, Consumer<String> notes) {
        new RootfsBuilder(recipe, notes).build(image);
    }
}
