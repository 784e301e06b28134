package org.openagb.sandbox.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * The few Linux syscalls the sandbox host makes itself, through JNA: mounting costs microseconds this way instead of a
 * {@code mount} process each. Thread safe.
 */
final class Syscalls {
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_REMOUNT = 32;
    static final long MS_NOSYMFOLLOW = 256;
    static final long MS_BIND = 4096;
    static final int MNT_DETACH = 2;

    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 02000000;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final long LOOP_CTL_GET_FREE = 0x4C82;
    static final long LOOP_CONFIGURE = 0x4C0A;
    static final int LO_FLAGS_AUTOCLEAR = 4;

    interface LibC extends Library {
        int mount(String source, String target, String type, long flags, String data);

        int open(String path, int flags);

        int close(int fd);

        long lseek(int fd, long offset, int whence);

        int ioctl(int fd, long request, long arg);

        int ioctl(int fd, long request, Pointer arg);

        int umount2(String target, int flags);

        String strerror(int errno);
    }

    private static final LibC LIBC = load();

    private Syscalls() {}

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** Whether the syscalls are usable (JNA could load libc). */
    static boolean available() {
        return LIBC != null;
    }

    static void mount(String source, String target, String type, long flags) throws IOException {
        mount(source, target, type, flags, null);
    }

    static void mount(String source, String target, String type, long flags, String data) throws IOException {
        if (LIBC.mount(source, target, type, flags, data) != 0) {
            int errno = Native.getLastError();
            throw new IOException("mount " + (source == null ? "" : source + " ") + target + " (flags " + flags + "): "
                    + LIBC.strerror(errno));
        }
    }

    static int open(String path, int flags) throws IOException {
        int fd = LIBC.open(path, flags | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open " + path + ": " + LIBC.strerror(Native.getLastError()));
        }
        return fd;
    }

    static void close(int fd) {
        LIBC.close(fd);
    }

    /** {@code lseek}; {@code -1} when SEEK_DATA finds no more data (ENXIO). */
    static long lseek(int fd, long offset, int whence) {
        return LIBC.lseek(fd, offset, whence);
    }

    /**
     * Mounts the ext4 image {@code image} on {@code target} through a free loop device (auto-cleared once unmounted).
     */
    static void mountImage(String image, String target, long flags, String data) throws IOException {
        int control = open("/dev/loop-control", O_RDWR);
        int file = open(image, O_RDWR);
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                int number = LIBC.ioctl(control, LOOP_CTL_GET_FREE, 0L);
                if (number < 0) {
                    throw new IOException("no free loop device: " + LIBC.strerror(Native.getLastError()));
                }
                String device = "/dev/loop" + number;
                int loop;
                try {
                    loop = open(device, O_RDWR);
                } catch (IOException e) {
                    continue; // its node appears a moment later; or another process took it
                }
                try (com.sun.jna.Memory config = new com.sun.jna.Memory(304)) {
                    config.clear();
                    config.setInt(0, file); // loop_config.fd
                    // Buffered, not direct IO: direct IO would first flush the freshly copied image (~10 ms).
                    config.setInt(8 + 52, LO_FLAGS_AUTOCLEAR); // .info.lo_flags
                    boolean configured = LIBC.ioctl(loop, LOOP_CONFIGURE, config) == 0;
                    if (configured) {
                        // Mounted while this descriptor is open: autoclear then waits for the unmount.
                        mount(device, target, "ext4", flags, data);
                        return;
                    }
                    if (Native.getLastError() != 16) { // EBUSY: taken meanwhile, try another
                        throw new IOException(
                                "configure " + device + " for " + image + ": " + LIBC.strerror(Native.getLastError()));
                    }
                } finally {
                    LIBC.close(loop);
                }
            }
            throw new IOException("no loop device stayed free for " + image);
        } finally {
            LIBC.close(file);
            LIBC.close(control);
        }
    }

    static void umount(String target, int flags) throws IOException {
        if (LIBC.umount2(target, flags) != 0) {
            int errno = Native.getLastError();
            throw new IOException("umount " + target + ": " + LIBC.strerror(errno));
        }
    }
}
