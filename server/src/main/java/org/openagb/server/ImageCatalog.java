package org.openagb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openagb.sandbox.SessionFiles;

/**
 * Image ids and their read-only root filesystems: the built-in ids (the embedded default image, {@code /}) and
 * OCI images imported or pulled into {@code <dataDir>/images}, unpacked once per manifest digest
 * ({@code images/<digest>/rootfs}, whiteouts applied) and named in {@code images/catalog.json}.
 *
 * <p>Import and pull use Debian's {@code skopeo} (any transport it reads: OCI layout, {@code oci-archive},
 * {@code docker-archive} from {@code docker save}, {@code docker://} registries) to normalise the source into an OCI
 * layout, and {@code umoci unpack} to build the root filesystem. Thread safe; the catalogue file is re-read when it
 * changes, so a running server sees images imported by {@code openagb image import}.
 */
public final class ImageCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final String CATALOG_FILE = "catalog.json";

    /**
     * One image.
     *
     * @param id the image id sessions name
     * @param root its root filesystem ({@code /} = the embedded default)
     * @param digest the OCI manifest digest, or {@code embedded}
     * @param source where it was imported from, or {@code built-in}
     */
    public record Image(String id, Path root, String digest, String source) {
        public boolean builtIn() {
            return digest.equals("embedded") || source.equals("built-in");
        }
    }

    private final Path dir;
    private final Map<String, Path> builtIn;
    private final Clock clock;
    private long loadedModified = Long.MIN_VALUE;
    private Map<String, Image> imported = Map.of();

    /**
     * @param dir {@code <dataDir>/images}
     * @param builtIn the ids every session may use without an import, e.g. {@link ServerConfig#DEFAULT_IMAGES}
     */
    public ImageCatalog(Path dir, Map<String, Path> builtIn, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.builtIn = Map.copyOf(builtIn);
        this.clock = clock;
    }

    /** Every known image, imported ones replacing built-in ids of the same name; sorted by id. */
    public synchronized List<Image> list() {
        Map<String, Image> all = new LinkedHashMap<>();
        builtIn.forEach((id, root) ->
                all.put(id, new Image(id, root, root.equals(Path.of("/")) ? "embedded" : "built-in", "built-in")));
        all.putAll(imported());
        return all.values().stream().sorted(Comparator.comparing(Image::id)).toList();
    }

    /** The image {@code id}, if known. */
    public synchronized Optional<Image> find(String id) {
        Image image = imported().get(id);
        if (image != null) {
            return Optional.of(image);
        }
        Path root = builtIn.get(id);
        return root == null
                ? Optional.empty()
                : Optional.of(new Image(id, root, root.equals(Path.of("/")) ? "embedded" : "built-in", "built-in"));
    }

    /** The known ids, sorted: for error messages. */
    public List<String> ids() {
        return list().stream().map(Image::id).toList();
    }

    /**
     * Imports {@code source} as image {@code id}: a path to an OCI layout directory (optionally {@code DIR:TAG}), an
     * {@code oci-archive} or {@code docker-archive} tarball, or any skopeo reference ({@code oci:…},
     * {@code docker-archive:…}, {@code docker://…}).
     *
     * @throws IllegalArgumentException for a bad id or a source that does not exist, naming it
     * @throws IllegalStateException if skopeo or umoci fail; the message holds their output
     */
    public Image importImage(String id, String source) {
        requireId(id);
        return add(id, skopeoReference(source), source);
    }

    /** Pulls {@code reference} (e.g. {@code docker.io/library/debian:bookworm}) from a registry as image {@code id}. */
    public Image pull(String id, String reference) {
        requireId(id);
        String ref = reference.contains("://") ? reference : "docker://" + reference;
        return add(id, ref, reference);
    }

    /**
     * Forgets image {@code id}; deletes its root filesystem when no other id uses it.
     *
     * @throws IllegalArgumentException if {@code id} was not imported (built-in ids cannot be removed)
     */
    public synchronized void remove(String id) {
        Map<String, Image> images = new LinkedHashMap<>(imported());
        Image image = images.remove(id);
        if (image == null) {
            throw new IllegalArgumentException("Cannot remove image '" + id + "': "
                    + (builtIn.containsKey(id) ? "it is built in" : "no such image") + " (imported: "
                    + String.join(", ", images.keySet()) + ")");
        }
        write(images);
        if (images.values().stream().noneMatch(i -> i.digest().equals(image.digest()))) {
            deleteTree(image.root().getParent());
        }
    }

    private synchronized Image add(String id, String skopeoRef, String source) {
        Path work = dir.resolve("tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(work);
            Path layout = work.resolve("layout");
            run("skopeo", "copy", "--quiet", "--insecure-policy", skopeoRef, "oci:" + layout + ":image");
            String digest = manifestDigest(layout);
            Path imageDir = dir.resolve(digest.replace(':', '-'));
            Path rootfs = imageDir.resolve("rootfs");
            if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
                Path bundle = work.resolve("bundle");
                run("umoci", "unpack", "--image", layout + ":image", bundle.toString());
                Files.createDirectories(imageDir);
                move(bundle.resolve("rootfs"), rootfs);
            }
            Map<String, Image> images = new LinkedHashMap<>(imported());
            Image image = new Image(id, rootfs, digest, source);
            images.put(id, image);
            write(images);
            return image;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot import image '" + id + "' from '" + source + "': " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** The skopeo reference of an import source. */
    static String skopeoReference(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("Cannot import an image: the source is empty (give an OCI layout"
                    + " directory, an oci-archive or a docker-archive tarball)");
        }
        for (String transport : List.of("oci:", "oci-archive:", "docker-archive:", "docker://", "dir:")) {
            if (source.startsWith(transport)) {
                return source;
            }
        }
        String path = source;
        String tag = null;
        int colon = source.lastIndexOf(':');
        if (colon > 0 && !Files.exists(Path.of(source)) && Files.isDirectory(Path.of(source.substring(0, colon)))) {
            path = source.substring(0, colon);
            tag = source.substring(colon + 1);
        }
        Path p = Path.of(path).toAbsolutePath();
        if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("index.json"))) {
                throw new IllegalArgumentException("Cannot import image from '" + source
                        + "': the directory is not an OCI layout (no index.json)");
            }
            return "oci:" + p + (tag == null ? "" : ":" + tag);
        }
        if (Files.isRegularFile(p)) {
            return (tarHas(p, "index.json") && !tarHas(p, "manifest.json") ? "oci-archive:" : "docker-archive:") + p;
        }
        throw new IllegalArgumentException(
                "Cannot import image from '" + source + "': no such file or directory (give an OCI layout"
                        + " directory, an oci-archive or a docker-archive tarball)");
    }

    private static boolean tarHas(Path tar, String name) {
        try {
            Process process = new ProcessBuilder("tar", "-tf", tar.toString())
                    .redirectErrorStream(true)
                    .start();
            String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return listing.lines().anyMatch(l -> l.equals(name) || l.equals("./" + name));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String manifestDigest(Path layout) throws IOException {
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        for (JsonNode manifest : index.path("manifests")) {
            if ("image"
                    .equals(manifest.path("annotations")
                            .path("org.opencontainers.image.ref.name")
                            .asText())) {
                return manifest.path("digest").asText();
            }
        }
        throw new IOException("skopeo wrote no manifest named 'image' in " + layout.resolve("index.json"));
    }

    private Map<String, Image> imported() {
        Path file = dir.resolve(CATALOG_FILE);
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
        } catch (IOException e) {
            imported = Map.of();
            loadedModified = Long.MIN_VALUE;
            return imported;
        }
        if (modified != loadedModified) {
            Map<String, Image> images = new LinkedHashMap<>();
            try {
                JsonNode root = JSON.readTree(file.toFile());
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                root.path("images").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    images.put(
                            e.getKey(),
                            new Image(
                                    e.getKey(),
                                    dir.resolve(v.path("digest").asText().replace(':', '-'))
                                            .resolve("rootfs"),
                                    v.path("digest").asText(),
                                    v.path("source").asText()));
                }
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Cannot read the image catalogue '" + file + "': " + e.getMessage()
                                + " (fix or delete it, then import the images again)",
                        e);
            }
            imported = Map.copyOf(images);
            loadedModified = modified;
        }
        return imported;
    }

    private void write(Map<String, Image> images) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode entries = root.putObject("images");
        images.values().stream()
                .sorted(Comparator.comparing(Image::id))
                .forEach(image -> entries.putObject(image.id())
                        .put("digest", image.digest())
                        .put("source", image.source())
                        .put("importedAt", clock.instant().toString()));
        Path file = dir.resolve(CATALOG_FILE);
        Path temp = dir.resolve(CATALOG_FILE + ".tmp");
        try {
            Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            move(temp, file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the image catalogue '" + file + "': " + e.getMessage(), e);
        }
        loadedModified = Long.MIN_VALUE;
    }

    private static void requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Cannot use image id '" + id + "': give 1 to 128 letters, digits, '.',"
                    + " '_' or '-', starting with a letter or digit (e.g. my-python-3.12)");
        }
    }

    private static void run(String... command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(
                    command[0] + " is not installed (install it, e.g. apt-get install -y skopeo umoci)", e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(command[0] + " " + command[1] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(command[0] + " was interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        try {
            SessionFiles.deleteTree(root);
        } catch (java.io.UncheckedIOException e) {
            // Best effort: a leftover temporary directory is harmless.
        }
    }
}
