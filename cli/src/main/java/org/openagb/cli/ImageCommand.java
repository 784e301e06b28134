package org.openagb.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openagb.server.ImageCatalog;
import org.openagb.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code openagb image import|pull|ls|rm}: the image catalogue of a data directory (docs/images.md). */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Manage the images sessions are created from (OCI images, unpacked by digest).",
        subcommands = {
            ImageCommand.Import.class,
            ImageCommand.Pull.class,
            ImageCommand.ListImages.class,
            ImageCommand.Remove.class
        })
final class ImageCommand {
    @picocli.CommandLine.ParentCommand
    Main main;

    @Option(
            names = "--data-dir",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default $OPENAGB_DATA_DIR or ~/.openagb)")
    Path dataDir;

    ImageCatalog catalog() {
        return new ImageCatalog(
                DataDir.resolve(dataDir, main.environment()).resolve("images"),
                ServerConfig.DEFAULT_IMAGES,
                Clock.systemUTC());
    }

    static Integer run(Callable<Integer> body) {
        try {
            return body.call();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        } catch (Exception e) {
            throw new CliException(CliException.FAILED, e.toString());
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Import an OCI layout directory (DIR or DIR:TAG), an oci-archive or a docker-archive"
                    + " (docker save) as image ID.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ImageCommand parent;

        @Parameters(index = "0", description = "The image id sessions will name, e.g. my-python")
        String id;

        @Parameters(index = "1", description = "OCI layout directory, oci-archive or docker-archive tarball")
        String source;

        @Override
        public Integer call() {
            return run(() -> {
                ImageCatalog.Image image = parent.catalog().importImage(id, source);
                System.out.println("Imported image " + image.id() + " (" + image.digest() + ")");
                return 0;
            });
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Pull REF from a registry as image ID.")
    static final class Pull implements Callable<Integer> {
        @ParentCommand
        ImageCommand parent;

        @Parameters(index = "0", description = "The image id sessions will name")
        String id;

        @Parameters(index = "1", description = "A registry reference, e.g. docker.io/library/debian:bookworm")
        String reference;

        @Override
        public Integer call() {
            return run(() -> {
                ImageCatalog.Image image = parent.catalog().pull(id, reference);
                System.out.println("Pulled image " + image.id() + " (" + image.digest() + ")");
                return 0;
            });
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the image ids sessions may use.")
    static final class ListImages implements Callable<Integer> {
        @ParentCommand
        ImageCommand parent;

        @Option(names = "--json", description = "Print the images as a JSON array")
        boolean json;

        @Override
        public Integer call() {
            return run(() -> {
                List<ImageCatalog.Image> images = parent.catalog().list();
                if (json) {
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (ImageCatalog.Image image : images) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("id", image.id());
                        row.put("digest", image.digest());
                        row.put("source", image.source());
                        out.add(row);
                    }
                    new Output(System.out, System.err, true).printJson(out);
                    return 0;
                }
                for (ImageCatalog.Image image : images) {
                    System.out.println(image.id() + "\t" + image.digest() + "\t" + image.source());
                }
                return 0;
            });
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Forget an imported image.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ImageCommand parent;

        @Parameters(index = "0", description = "The image id")
        String id;

        @Override
        public Integer call() {
            return run(() -> {
                parent.catalog().remove(id);
                System.out.println("Removed image " + id);
                return 0;
            });
        }
    }
}
