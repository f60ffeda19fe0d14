package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Makes the nodes' root image from ssilab's recipe (content/rootfs). The uml backend provides it,
 * found with {@link ServiceLoader} as backends are (META-INF/services/dev.ssilab.cluster.RootImageMaker),
 * so the course's downloads include a root image without the layers above reaching into a backend.
 */
public interface RootImageMaker {

    /** Builds the image at {@code image} from {@code recipe}; {@code notes} gets its progress lines. */
    void build(Path recipe, Path image, Consumer<String> notes);

    /** The maker on the class path. */
    static RootImageMaker find() {
        return ServiceLoader.load(RootImageMaker.class).findFirst()
                .orElseThrow(() -> new UserError("this build of ssilab cannot make a root image (no cluster backend provides one)"));
    }
}
