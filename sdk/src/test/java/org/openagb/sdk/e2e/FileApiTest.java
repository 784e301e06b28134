package org.openagb.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.e2e.E2e.allBytes;
import static org.openagb.sdk.e2e.E2e.failed;
import static org.openagb.sdk.e2e.E2e.names;
import static org.openagb.sdk.e2e.E2e.ok;
import static org.openagb.sdk.e2e.E2e.sh;
import static org.openagb.sdk.e2e.E2e.writeAllBytesCommand;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.sdk.AGB;
import org.openagb.sdk.FileEdit;
import org.openagb.sdk.FileInfo;
import org.openagb.sdk.FileSystem;
import org.openagb.sdk.Session;
import org.openagb.sdk.WriteMode;

/** session.file() round trips through the real tools; one session for the class, a fresh directory per test. */
class FileApiTest {
    @RegisterExtension
    static final RealServer SERVER = new RealServer();

    private static AGB agb;
    private static Session session;

    private FileSystem files;
    private String dir;

    @BeforeAll
    static void createSession() {
        agb = SERVER.agb();
        session = E2e.session(agb);
    }

    @AfterAll
    static void deleteSession() {
        ok(agb.delete(session));
    }

    @BeforeEach
    void freshDirectory() {
        files = session.file();
        dir = "/tmp/files-" + UUID.randomUUID().toString().substring(0, 8);
        ok(files.mkdir(dir));
    }

    @Test
    void write100000Chars_readsBackExactly() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 100_000; i++) {
            text.append("line ").append(i).append(" of a long file\n");
        }
        String content = text.substring(0, 100_000);

        ok(files.write(dir + "/long.txt", content));

        assertThat(ok(files.info(dir + "/long.txt")).info().size()).isEqualTo(100_000);
        String read = ok(files.read(dir + "/long.txt")).content();
        assertThat(read).hasSize(100_000);
        assertThat(read).isEqualTo(content);
    }

    @Test
    void multiByteText_crossingTheChunkBoundary_readsBackExactly() {
        // 1 + 2 + 3 + 4 bytes per cycle: some character straddles every 51200-byte chunk boundary.
        StringBuilder text = new StringBuilder("x");
        while (text.toString().getBytes(StandardCharsets.UTF_8).length < 2 * FileSystem.CHUNK_SIZE + 100) {
            text.append("aé€😀");
        }
        text.append("\ntrailing newline\n");
        String content = text.toString();
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;

        ok(files.write(dir + "/utf8.txt", content));

        assertThat(ok(files.info(dir + "/utf8.txt")).info().size()).isEqualTo(bytes);
        assertThat(ok(files.read(dir + "/utf8.txt")).content()).isEqualTo(content);
    }

    @Test
    void binaryFile_readBytes_returnsTheExactBytes_acrossChunks() {
        sh(session, writeAllBytesCommand(dir + "/data.bin", 450));

        byte[] read = ok(files.readBytes(dir + "/data.bin")).content();

        assertThat(read).hasSize(256 * 450).isEqualTo(allBytes(450));
    }

    @Test
    void emptyFile_readsAsEmpty() {
        ok(files.write(dir + "/empty.txt", ""));

        assertThat(ok(files.read(dir + "/empty.txt")).content()).isEmpty();
        assertThat(ok(files.readBytes(dir + "/empty.txt")).content()).isEmpty();
    }

    @Test
    void writeModes_appendAppends_andCreateNewRefusesAnExistingFile() {
        ok(files.write(dir + "/log.txt", "one\n"));
        ok(files.write(dir + "/log.txt", "two\n", WriteMode.APPEND));

        assertThat(ok(files.read(dir + "/log.txt")).content()).isEqualTo("one\ntwo\n");
        assertThat(failed(files.write(dir + "/log.txt", "three\n", WriteMode.CREATE_NEW)))
                .contains("log.txt");
        assertThat(ok(files.read(dir + "/log.txt")).content()).isEqualTo("one\ntwo\n");
        ok(files.write(dir + "/fresh.txt", "new", WriteMode.CREATE_NEW));
    }

    @Test
    void mkdir_createsParents_andIsIdempotent() {
        ok(files.mkdir(dir + "/a/b/c"));
        ok(files.mkdir(dir + "/a/b/c"));

        assertThat(ok(files.info(dir + "/a/b/c")).info().directory()).isTrue();
        assertThat(names(ok(files.list(dir + "/a")).entries())).containsExactly("b/");
    }

    @Test
    void list_showsFilesAndDirectories_byName() {
        ok(files.write(dir + "/one.txt", "1"));
        ok(files.write(dir + "/sub/two.txt", "2"));
        ok(files.mkdir(dir + "/empty"));

        assertThat(names(ok(files.list(dir)).entries())).containsExactlyInAnyOrder("one.txt", "sub/", "empty/");
        assertThat(ok(files.list(dir + "/empty")).entries()).isEmpty();
        assertThat(failed(files.list(dir + "/missing"))).contains("missing");
    }

    @Test
    void info_reportsNameSizeAndKind() {
        ok(files.write(dir + "/sized.txt", "12345"));

        FileInfo file = ok(files.info(dir + "/sized.txt")).info();
        FileInfo directory = ok(files.info(dir)).info();

        assertThat(file.size()).isEqualTo(5);
        assertThat(file.directory()).isFalse();
        assertThat(file.name()).isEqualTo("sized.txt");
        assertThat(directory.directory()).isTrue();
        assertThat(failed(files.info(dir + "/nope.txt"))).contains("nope.txt");
    }

    @Test
    void read_ofADirectory_orAMissingFile_failsWithAMessage() {
        assertThat(failed(files.read(dir))).contains(dir).contains("is a directory");
        assertThat(failed(files.read(dir + "/ghost.txt"))).contains("ghost.txt");
    }

    @Test
    void move_renamesTheFile_andTheSourceIsGone() {
        ok(files.write(dir + "/from.txt", "moving"));

        ok(files.move(dir + "/from.txt", dir + "/moved/to.txt"));

        assertThat(ok(files.read(dir + "/moved/to.txt")).content()).isEqualTo("moving");
        assertThat(failed(files.info(dir + "/from.txt"))).contains("from.txt");
    }

    @Test
    void remove_deletesFilesAndEmptyDirectories_butNotNonEmptyOnes() {
        ok(files.write(dir + "/full/x.txt", "x"));
        ok(files.write(dir + "/gone.txt", "bye"));
        ok(files.mkdir(dir + "/hollow"));

        ok(files.remove(dir + "/gone.txt"));
        ok(files.remove(dir + "/hollow"));

        assertThat(failed(files.info(dir + "/gone.txt"))).contains("gone.txt");
        assertThat(failed(files.info(dir + "/hollow"))).contains("hollow");
        assertThat(failed(files.remove(dir + "/full"))).contains("full").containsIgnoringCase("not empty");
        assertThat(ok(files.read(dir + "/full/x.txt")).content()).isEqualTo("x");
    }

    @Test
    void edit_replacesExactText_dryRunWritesNothing_andMissingTextFails() {
        ok(files.write(dir + "/config.ini", "[server]\nport = 80\nhost = a\n"));

        ok(files.edit(dir + "/config.ini", List.of(new FileEdit("port = 80\n", "port = 8080\n")), true));
        assertThat(ok(files.read(dir + "/config.ini")).content()).isEqualTo("[server]\nport = 80\nhost = a\n");

        ok(files.edit(
                dir + "/config.ini",
                List.of(new FileEdit("port = 80\n", "port = 8080\n"), new FileEdit("host = a", "host = b")),
                false));
        assertThat(ok(files.read(dir + "/config.ini")).content()).isEqualTo("[server]\nport = 8080\nhost = b\n");

        assertThat(failed(files.edit(dir + "/config.ini", List.of(new FileEdit("no such text", "x")), false)))
                .contains("no such text");
    }

    @Test
    void search_findsMatchesRecursively_andHonoursExcludes() {
        ok(files.write(dir + "/src/Main.java", "class Main {}"));
        ok(files.write(dir + "/src/util/Helper.java", "class Helper {}"));
        ok(files.write(dir + "/build/Main.java", "generated"));
        ok(files.write(dir + "/README.md", "readme"));

        assertThat(ok(files.search(dir, "*.java")).matches())
                .containsExactlyInAnyOrder(
                        dir + "/src/Main.java", dir + "/src/util/Helper.java", dir + "/build/Main.java");
        assertThat(ok(files.search(dir, "*.java", List.of("build"))).matches())
                .containsExactlyInAnyOrder(dir + "/src/Main.java", dir + "/src/util/Helper.java");
        assertThat(ok(files.search(dir, "readme")).matches()).containsExactly(dir + "/README.md");
        assertThat(ok(files.search(dir, "*.rs")).matches()).isEmpty();
    }

    @Test
    void readBatch_returnsEachFileByItsPath() {
        ok(files.write(dir + "/a.txt", "alpha"));
        ok(files.write(dir + "/b.txt", "beta\nsecond line"));

        assertThat(ok(files.readBatch(List.of(dir + "/a.txt", dir + "/b.txt"))).contents())
                .containsExactly(
                        java.util.Map.entry(dir + "/a.txt", "alpha"),
                        java.util.Map.entry(dir + "/b.txt", "beta\nsecond line"));
    }
}
