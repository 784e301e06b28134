package org.openagb.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyValidationTest {

    @Test
    void whiteListPathWithStar_isRejectedSuggestingTheExactDirectory() {
        assertThatThrownBy(() -> new WhiteList("/src/*"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot use white-list path '/src/*': wildcards (* ? [ ]) are not supported; use an exact"
                        + " directory path relative to the mount, such as '/src'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.json", "/a?b", "/data[1]", "/x]"})
    void whiteListPathWithAnyWildcard_isRejectedNamingIt(String path) {
        assertThatThrownBy(() -> new WhiteList(path))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(
                        "Cannot use white-list path '" + path + "': wildcards (* ? [ ]) are not" + " supported");
    }

    @Test
    void excludePathWithWildcard_isRejectedNamingBothPaths() {
        assertThatThrownBy(() -> new WhiteList("/src", List.of("/node_modules", "/dist/*.map")))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot use exclude path '/dist/*.map' of white-list path '/src': wildcards (* ? [ ]) are"
                        + " not supported; use an exact path relative to the white-list path, such as '/dist'");
    }

    @Test
    void recyclePathWithWildcard_isRejected() {
        assertThatThrownBy(() -> new RecyclePolicy(Lifecycle.LIFECYCLE_1DAY, List.of("/logs/*")))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot use recycle path '/logs/*': wildcards (* ? [ ]) are not supported; use an exact"
                        + " directory path relative to the mount, such as '/logs', or '' for the whole mount");
    }

    @Test
    void nullPathInsideList_isRejected() {
        assertThatThrownBy(() -> new WhiteList("/src", Arrays.asList("/a", null)))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot use exclude path 'null': paths must not be null (use \"\" or a path)");
    }

    @Test
    void blankMappingPath_isRejected() {
        assertThatThrownBy(() -> new MappingPolicy("  "))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot use mapping path '  ': it is blank (give the path the data was originally synced"
                        + " from, or omit mappingPolicy)");
    }

    @Test
    void lists_areCopied() {
        List<String> excludes = new java.util.ArrayList<>(List.of("/a"));
        WhiteList whiteList = new WhiteList("/src", excludes);
        excludes.add("/b");

        assertThat(whiteList.excludePaths()).containsExactly("/a");
        assertThat(whiteList.excludePaths()).isUnmodifiable();
    }

    @Test
    void allNullSyncPolicy_equalsDefaults() {
        assertThat(new SyncPolicy(null, null, null, null, null, null, null)).isEqualTo(SyncPolicy.defaults());
        assertThat(SyncPolicy.builder().build()).isEqualTo(SyncPolicy.defaults());
        assertThat(SyncPolicy.defaults().recyclePolicy().paths()).containsExactly("");
    }

    @Test
    void contextSync_requiresAnAbsolutePath() {
        assertThatThrownBy(() -> ContextSync.create("SdkCtx-1", "home/project", SyncPolicy.defaults()))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot mount context 'SdkCtx-1' at path 'home/project': the path is not absolute (use an"
                        + " absolute directory in the session, such as '/home/project')");
    }

    @Test
    void contextSync_requiresAContextId() {
        assertThatThrownBy(() -> ContextSync.create(" ", "/home/project", SyncPolicy.defaults()))
                .isInstanceOf(PolicyException.class)
                .hasMessage("Cannot mount context ' ': the context id is blank (use the id of"
                        + " agb.context().get(name, true).context())");
    }

    @Test
    void contextSyncWithNullPolicy_usesDefaults() {
        assertThat(ContextSync.create("SdkCtx-1", "/data", null).policy()).isEqualTo(SyncPolicy.defaults());
    }
}
