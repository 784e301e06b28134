package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server writes into a session is given to the session's uid ({@link SessionFiles#adopt}): every file,
 * directory and symlink below the path, and nothing a symlink points at.
 */
class SessionFilesAdoptTest {
    static final int SESSION_UID = 47_011;

    @TempDir
    Path tmp;

    SessionFiles files;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
                .as("SessionFilesAdoptTest changes file owners: run the tests as root (./run-tests does in CI)")
                .isEqualTo(0);
        files = SessionFiles.create(tmp.resolve("session"), List.of("/home"));
        home = files.hostRoot("/home");
        Files.createDirectories(home);
        Files.setAttribute(home, "unix:uid", SESSION_UID);
        Files.setAttribute(home, "unix:gid", SESSION_UID);
    }

    static int uid(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void adopt_givesEveryFileDirectoryAndSymlinkBelowThePath_toTheSessionsUid() throws Exception {
        Path project = Files.createDirectories(home.resolve("p/src/deep"));
        Files.writeString(project.resolve("a.txt"), "a");
        Files.writeString(home.resolve("p/b.txt"), "b");
        Files.createSymbolicLink(home.resolve("p/link"), Path.of("src/deep/a.txt"));

        files.adopt(home.resolve("p"));

        for (Path p : List.of(
                home.resolve("p"),
                home.resolve("p/src"),
                project,
                project.resolve("a.txt"),
                home.resolve("p/b.txt"),
                home.resolve("p/link"))) {
            assertThat(uid(p)).as(p.toString()).isEqualTo(SESSION_UID);
        }
    }

    @Test
    void adopt_neverFollowsASymlink_outOfTheSession() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "the server's");
        Path outsideDir = Files.createDirectories(tmp.resolve("outside-dir"));
        Files.writeString(outsideDir.resolve("inner"), "x");
        Files.createDirectories(home.resolve("p"));
        Files.createSymbolicLink(home.resolve("p/to-file"), outside);
        Files.createSymbolicLink(home.resolve("p/to-dir"), outsideDir);

        files.adopt(home.resolve("p"));

        assertThat(uid(home.resolve("p/to-file"))).isEqualTo(SESSION_UID);
        assertThat(uid(outside)).as("the symlink's target").isZero();
        assertThat(uid(outsideDir)).isZero();
        assertThat(uid(outsideDir.resolve("inner"))).isZero();
    }

    @Test
    void adopt_ofAPathOutsideTheRoots_changesNothing() throws Exception {
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere.txt"), "x");

        files.adopt(elsewhere);

        assertThat(uid(elsewhere)).isZero();
    }
}
