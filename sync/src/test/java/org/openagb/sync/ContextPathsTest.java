package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContextPathsTest {

    private static final String ALPHABET = "ab-. _!~0Zé/";

    private static int compareByComponents(String a, String b) {
        List<String> x = Arrays.asList(a.substring(1).split("/"));
        List<String> y = Arrays.asList(b.substring(1).split("/"));
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    private static String randomPath(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int depth = 1 + rnd.nextInt(4);
        for (int d = 0; d < depth; d++) {
            sb.append('/');
            int len = 1 + rnd.nextInt(3);
            for (int i = 0; i < len; i++) {
                char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length() - 1)); // no '/'
                sb.append(c);
            }
        }
        String p = sb.toString();
        return ContextPaths.problem(p) == null ? p : "/x";
    }

    @Test
    void order_equalsComponentWiseComparison_onSeededRandomPaths() {
        Random rnd = new Random(20240601L);
        for (int i = 0; i < 20_000; i++) {
            String a = randomPath(rnd);
            String b = randomPath(rnd);
            assertThat(Integer.signum(ContextPaths.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(compareByComponents(a, b)));
        }
    }

    @Test
    void order_matchesSortedDepthFirstWalk_onSeededRandomTree() {
        Random rnd = new Random(7);
        // build a tree of nested maps, then walk it depth-first with children sorted by name
        TreeMap<String, Object> root = new TreeMap<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String p = randomPath(rnd);
            TreeMap<String, Object> node = root;
            for (String part : p.substring(1).split("/")) {
                @SuppressWarnings("unchecked")
                TreeMap<String, Object> child =
                        (TreeMap<String, Object>) node.computeIfAbsent(part, k -> new TreeMap<>());
                node = child;
            }
        }
        walk(root, "", all);
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(ContextPaths.ORDER);
        assertThat(sorted).isEqualTo(all);
        List<String> shuffled = new ArrayList<>(all);
        java.util.Collections.shuffle(shuffled, rnd);
        shuffled.sort(ContextPaths.ORDER);
        assertThat(shuffled).isEqualTo(all);
    }

    @SuppressWarnings("unchecked")
    private static void walk(TreeMap<String, Object> node, String prefix, List<String> out) {
        for (var e : node.entrySet()) {
            String p = prefix + "/" + e.getKey();
            out.add(p);
            walk((TreeMap<String, Object>) e.getValue(), p, out);
        }
    }

    @Test
    void order_slashSortsBeforeEveryOtherCharacter() {
        List<String> paths = new ArrayList<>(List.of("/a-c", "/a/b", "/a", "/a.txt", "/a b"));
        paths.sort(ContextPaths.ORDER);
        assertThat(paths).containsExactly("/a", "/a/b", "/a b", "/a-c", "/a.txt");
        paths.sort(Comparator.naturalOrder());
        assertThat(paths).isNotEqualTo(List.of("/a", "/a/b", "/a b", "/a-c", "/a.txt"));
    }

    @Test
    void normalize_cleansSeparatorsAndTrailingSlash() {
        assertThat(ContextPaths.normalize("/home//project/./src/")).isEqualTo("/home/project/src");
        assertThat(ContextPaths.normalize("/")).isEqualTo("/");
        assertThat(ContextPaths.normalize("c:\\Users\\me\\Downloads")).isEqualTo("c:/Users/me/Downloads");
    }

    @Test
    void normalize_rejectsRelativeAndDotDot() {
        assertThatThrownBy(() -> ContextPaths.normalize("home/x"))
                .isInstanceOf(SyncException.class)
                .hasMessage("Cannot use path 'home/x': it is not absolute (pass an absolute path like /home/project)");
        assertThatThrownBy(() -> ContextPaths.normalize("/home/../etc"))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("it contains '..'");
    }

    @Test
    void isUnder_matchesWholeComponentsOnly() {
        assertThat(ContextPaths.isUnder("/src/a", "/src")).isTrue();
        assertThat(ContextPaths.isUnder("/srcx/a", "/src")).isFalse();
        assertThat(ContextPaths.isUnder("/src", "/src")).isFalse();
        assertThat(ContextPaths.isUnder("/a", "/")).isTrue();
        assertThat(ContextPaths.relativize("/home/p/a/b", "/home/p")).isEqualTo("a/b");
    }

    @Test
    void problem_namesInvalidEntryPaths() {
        assertThat(ContextPaths.problem("/a/../b")).isEqualTo("it contains a '..' component");
        assertThat(ContextPaths.problem("/a//b")).isEqualTo("it contains '//'");
        assertThat(ContextPaths.problem("a")).isEqualTo("it is not absolute");
        assertThat(ContextPaths.problem("/a/")).isEqualTo("it ends with '/'");
        assertThat(ContextPaths.problem("/a\\b")).isNull();
    }

    @Test
    void parse_canonicalisesClientText_windowsDrivesSlashesAndTheRoot() {
        assertThat(ContextPaths.parse("/home/project/")).isEqualTo("/home/project");
        assertThat(ContextPaths.parse("//home//project")).isEqualTo("/home/project");
        assertThat(ContextPaths.parse("home/x")).isEqualTo("/home/x");
        assertThat(ContextPaths.parse("C:\\Users\\me\\Downloads\\")).isEqualTo("/c:/Users/me/Downloads");
        assertThat(ContextPaths.parse("D:")).isEqualTo("/d:");
        assertThat(ContextPaths.parse("/")).isEqualTo("/");
        assertThat(ContextPaths.parse("/home/漢字/😀.txt")).isEqualTo("/home/漢字/😀.txt");
    }

    @Test
    void parse_countsUtf8Bytes_andNamesTheValueInEveryRefusal() {
        String cjk85 = "漢".repeat(85); // 255 bytes: allowed
        assertThat(ContextPaths.parse("/home/" + cjk85)).endsWith(cjk85);
        assertThatThrownBy(() -> ContextPaths.parse("/home/" + "漢".repeat(86)))
                .isInstanceOf(InvalidContextPathException.class)
                .hasMessageContaining("Cannot use path '/home/漢漢")
                .hasMessageContaining("is 258 bytes in UTF-8, longer than 255 bytes");
        assertThatThrownBy(() -> ContextPaths.parse("/home/" + "😀".repeat(64)))
                .hasMessageContaining("256 bytes in UTF-8");
        assertThatThrownBy(() -> ContextPaths.parse("/h" + "/漢漢漢漢漢漢漢漢".repeat(200)))
                .hasMessageContaining("longer than 4096 bytes");
        assertThatThrownBy(() -> ContextPaths.parse("/home/../etc"))
                .hasMessage("Cannot use path '/home/../etc': '.' and '..' segments are not allowed (use a normalised"
                        + " absolute path)");
        assertThatThrownBy(() -> ContextPaths.parse("/home/./x")).hasMessageContaining("'.' and '..'");
        assertThatThrownBy(() -> ContextPaths.parse("/home/a\0b"))
                .hasMessage("Cannot use path '/home/a\\0b': it contains a NUL character (remove it)");
        assertThatThrownBy(() -> ContextPaths.parse(" "))
                .hasMessageContaining("it is empty (give an absolute path such as /home/project)");
    }

    @Test
    void overlaps_byWholeComponents() {
        assertThat(ContextPaths.overlaps("/home/a", "/home/a")).isTrue();
        assertThat(ContextPaths.overlaps("/home/a/b", "/home/a")).isTrue();
        assertThat(ContextPaths.overlaps("/home/a", "/home/a/b")).isTrue();
        assertThat(ContextPaths.overlaps("/home/ab", "/home/a")).isFalse();
        assertThat(ContextPaths.overlaps("/", "/home")).isTrue();
    }
}
