package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openagb.sync.PathScope.WhiteList;

class PathScopeTest {

    @Test
    void emptyListOrEmptyPath_coversWholeMount() {
        assertThat(PathScope.of(List.of()).includes("any/thing")).isTrue();
        assertThat(PathScope.of(List.of(new WhiteList(""))).includes("x")).isTrue();
        assertThat(PathScope.of(List.of(new WhiteList("/"))).isAll()).isTrue();
    }

    @Test
    void whiteListPath_matchesByComponentPrefix() {
        PathScope s = PathScope.of(List.of(new WhiteList("/src")));

        assertThat(s.includes("src")).isTrue();
        assertThat(s.includes("src/a/b.py")).isTrue();
        assertThat(s.includes("srcx")).isFalse();
        assertThat(s.includes("srcx/a")).isFalse();
        assertThat(s.includes("other")).isFalse();
    }

    @Test
    void excludes_areRelativeToTheirWhiteListPath() {
        PathScope s = PathScope.of(List.of(new WhiteList("src", List.of("build", "/tmp/x"))));

        assertThat(s.includes("src/a")).isTrue();
        assertThat(s.includes("src/build")).isFalse();
        assertThat(s.includes("src/build/o.class")).isFalse();
        assertThat(s.includes("src/buildx")).isTrue();
        assertThat(s.includes("src/tmp/x/y")).isFalse();
        assertThat(s.includes("src/tmp")).isTrue();
    }

    @Test
    void mayContainIncluded_descendsIntoAncestorsOfWhiteListPaths() {
        PathScope s = PathScope.of(List.of(new WhiteList("a/b/file.txt")));

        assertThat(s.includes("a")).isFalse();
        assertThat(s.mayContainIncluded("a")).isTrue();
        assertThat(s.mayContainIncluded("a/b")).isTrue();
        assertThat(s.mayContainIncluded("c")).isFalse();
        assertThat(s.includes("a/b/file.txt")).isTrue();
        assertThat(s.includes("a/b/other.txt")).isFalse();
    }

    @Test
    void absoluteWhiteListPathUnderMount_isMadeRelative() {
        PathScope s = PathScope.of("/home/data", List.of(new WhiteList("/home/data/temp")));

        assertThat(s.includes("temp/a")).isTrue();
        assertThat(s.includes("other")).isFalse();
    }

    @Test
    void wildcard_isRejectedNamingTheValue() {
        assertThatThrownBy(() -> PathScope.of(List.of(new WhiteList("src/*.py"))))
                .isInstanceOf(SyncException.class)
                .hasMessage("Cannot use white-list path 'src/*.py': wildcards (* ? [ ]) are not supported"
                        + " (list the paths explicitly)");
        assertThatThrownBy(() -> PathScope.of(List.of(new WhiteList("src", List.of("a?")))))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("exclude path 'a?'");
    }

    @Test
    void dotDot_isRejected() {
        assertThatThrownBy(() -> PathScope.of(List.of(new WhiteList("../etc"))))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot use white-list path '../etc'");
    }
}
