/*
 * openagb-enter: the last trusted step before a session's code runs.
 *
 *   openagb-enter [-s] CWD PROGRAM [ARG...]
 *
 * Runs inside the session's namespaces and root (as the sandbox's init, and after nsenter for every command and
 * kernel), then:
 *   1. changes to CWD, resolved inside the session (a missing CWD is an error that names it, exit 126);
 *   2. sets no_new_privs and drops every capability (bounding, ambient, inheritable, permitted, effective);
 *   3. installs the seccomp filter below (refusals answer EPERM; clone3 answers ENOSYS so libc falls back to clone);
 *   4. with -s, becomes a session and process group leader (so the server can kill the whole group), and in any case
 *      resets every signal to its default action and unblocks all of them: dispositions and masks survive exec, and a
 *      server started in the background (SIGINT ignored) must not hand that to the session (a kernel could then never
 *      be interrupted);
 *   5. closes every descriptor above 2 and execs PROGRAM (looked up on PATH); PROGRAM "--idle" instead waits
 *      forever (the sandbox's resident process, which needs nothing from the image), and PROGRAM "--connect" PORT
 *      connects to 127.0.0.1:PORT in the session's network namespace and relays stdin to it and it to stdout until
 *      both sides are done (the server's port links; exit 111 with a message if nothing listens there).
 * Static, no libseccomp: the filter is a classic BPF program built here. The denied list is at least Docker's default
 * profile; docs/security.md lists it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define OPENAGB_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define OPENAGB_ARCH AUDIT_ARCH_AARCH64
#else
#error "openagb-enter: unsupported architecture (add its AUDIT_ARCH here)"
#endif

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

static const int denied[] = {
#ifdef SYS_acct
    SYS_acct,
#endif
#ifdef SYS_add_key
    SYS_add_key,
#endif
#ifdef SYS_bpf
    SYS_bpf,
#endif
#ifdef SYS_clock_adjtime
    SYS_clock_adjtime,
#endif
#ifdef SYS_clock_settime
    SYS_clock_settime,
#endif
#ifdef SYS_create_module
    SYS_create_module,
#endif
#ifdef SYS_delete_module
    SYS_delete_module,
#endif
#ifdef SYS_finit_module
    SYS_finit_module,
#endif
#ifdef SYS_fsconfig
    SYS_fsconfig,
#endif
#ifdef SYS_fsmount
    SYS_fsmount,
#endif
#ifdef SYS_fsopen
    SYS_fsopen,
#endif
#ifdef SYS_fspick
    SYS_fspick,
#endif
#ifdef SYS_get_kernel_syms
    SYS_get_kernel_syms,
#endif
#ifdef SYS_init_module
    SYS_init_module,
#endif
#ifdef SYS_io_uring_enter
    SYS_io_uring_enter,
#endif
#ifdef SYS_io_uring_register
    SYS_io_uring_register,
#endif
#ifdef SYS_io_uring_setup
    SYS_io_uring_setup,
#endif
#ifdef SYS_ioperm
    SYS_ioperm,
#endif
#ifdef SYS_iopl
    SYS_iopl,
#endif
#ifdef SYS_kcmp
    SYS_kcmp,
#endif
#ifdef SYS_kexec_file_load
    SYS_kexec_file_load,
#endif
#ifdef SYS_kexec_load
    SYS_kexec_load,
#endif
#ifdef SYS_keyctl
    SYS_keyctl,
#endif
#ifdef SYS_lookup_dcookie
    SYS_lookup_dcookie,
#endif
#ifdef SYS_mount
    SYS_mount,
#endif
#ifdef SYS_mount_setattr
    SYS_mount_setattr,
#endif
#ifdef SYS_move_mount
    SYS_move_mount,
#endif
#ifdef SYS_name_to_handle_at
    SYS_name_to_handle_at,
#endif
#ifdef SYS_nfsservctl
    SYS_nfsservctl,
#endif
#ifdef SYS_open_by_handle_at
    SYS_open_by_handle_at,
#endif
#ifdef SYS_open_tree
    SYS_open_tree,
#endif
#ifdef SYS_perf_event_open
    SYS_perf_event_open,
#endif
#ifdef SYS_pivot_root
    SYS_pivot_root,
#endif
#ifdef SYS_process_vm_readv
    SYS_process_vm_readv,
#endif
#ifdef SYS_process_vm_writev
    SYS_process_vm_writev,
#endif
#ifdef SYS_ptrace
    SYS_ptrace,
#endif
#ifdef SYS_query_module
    SYS_query_module,
#endif
#ifdef SYS_quotactl
    SYS_quotactl,
#endif
#ifdef SYS_quotactl_fd
    SYS_quotactl_fd,
#endif
#ifdef SYS_reboot
    SYS_reboot,
#endif
#ifdef SYS_request_key
    SYS_request_key,
#endif
#ifdef SYS_setns
    SYS_setns,
#endif
#ifdef SYS_settimeofday
    SYS_settimeofday,
#endif
#ifdef SYS_swapoff
    SYS_swapoff,
#endif
#ifdef SYS_swapon
    SYS_swapon,
#endif
#ifdef SYS_syslog
    SYS_syslog,
#endif
#ifdef SYS__sysctl
    SYS__sysctl,
#endif
#ifdef SYS_sysfs
    SYS_sysfs,
#endif
#ifdef SYS_umount2
    SYS_umount2,
#endif
#ifdef SYS_unshare
    SYS_unshare,
#endif
#ifdef SYS_uselib
    SYS_uselib,
#endif
#ifdef SYS_userfaultfd
    SYS_userfaultfd,
#endif
#ifdef SYS_ustat
    SYS_ustat,
#endif
#ifdef SYS_vhangup
    SYS_vhangup,
#endif
#ifdef SYS_chroot
    SYS_chroot,
#endif
#ifdef SYS_fanotify_init
    SYS_fanotify_init,
#endif
#ifdef SYS_mbind
    SYS_mbind,
#endif
#ifdef SYS_set_mempolicy
    SYS_set_mempolicy,
#endif
#ifdef SYS_get_mempolicy
    SYS_get_mempolicy,
#endif
#ifdef SYS_move_pages
    SYS_move_pages,
#endif
#ifdef SYS_migrate_pages
    SYS_migrate_pages,
#endif
};

#define NS_FLAGS \
    (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

#define MAX_FILTER 256

static struct sock_filter filter[MAX_FILTER];
static unsigned short length;

static void emit(unsigned short code, unsigned char jt, unsigned char jf, unsigned int k) {
    if (length >= MAX_FILTER) {
        fprintf(stderr, "openagb-enter: seccomp filter too long\n");
        exit(125);
    }
    filter[length].code = code;
    filter[length].jt = jt;
    filter[length].jf = jf;
    filter[length].k = k;
    length++;
}

#define LOAD_NR() emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr))
#define LOAD_ARG_LO(n) emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, args[n]))
#define RET(v) emit(BPF_RET | BPF_K, 0, 0, (v))
#define EPERM_RET (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

/* syscall nr == number with argument arg's low 32 bits & mask != 0 -> EPERM */
static void deny_if_arg_bits(int number, int arg, unsigned int mask) {
    LOAD_NR();
    emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, (unsigned int)number);
    LOAD_ARG_LO(arg);
    emit(BPF_JMP | BPF_JSET | BPF_K, 0, 1, mask);
    RET(EPERM_RET);
}

/* syscall nr == number with (argument arg & S_IFMT) not a regular file or 0 -> EPERM (no FIFOs, no devices) */
static void deny_special_mknod(int number, int arg) {
    LOAD_NR();
    emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, (unsigned int)number);
    LOAD_ARG_LO(arg);
    emit(BPF_ALU | BPF_AND | BPF_K, 0, 0, S_IFMT);
    emit(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0);
    emit(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, S_IFREG);
    RET(EPERM_RET);
}

static void build_filter(void) {
    /* Only the native ABI; anything else (i386 via int 0x80, x32) is killed or refused. */
    emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
    emit(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, OPENAGB_ARCH);
    RET(SECCOMP_RET_KILL_PROCESS);
    LOAD_NR();
    emit(BPF_JMP | BPF_JGE | BPF_K, 0, 1, __X32_SYSCALL_BIT);
    RET(EPERM_RET);
    for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
        emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (unsigned int)denied[i]);
        RET(EPERM_RET);
    }
#ifdef SYS_clone3
    emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, SYS_clone3);
    RET(SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
#endif
#if defined(__x86_64__)
    deny_if_arg_bits(SYS_clone, 0, NS_FLAGS); /* x86_64: clone(flags, ...) */
#else
    deny_if_arg_bits(SYS_clone, 0, NS_FLAGS);
#endif
#ifdef SYS_mknod
    deny_special_mknod(SYS_mknod, 1);
#endif
    deny_special_mknod(SYS_mknodat, 2);
    /* personality: only the values Docker allows (query, PER_LINUX, UNAME26 and ADDR_NO_RANDOMIZE variants). */
    LOAD_NR();
    emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 7, SYS_personality);
    LOAD_ARG_LO(0);
    emit(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 0x0);
    emit(BPF_JMP | BPF_JEQ | BPF_K, 3, 0, 0x8);
    emit(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0x20000);
    emit(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0xffffffff);
    RET(EPERM_RET);
    RET(SECCOMP_RET_ALLOW);
    RET(SECCOMP_RET_ALLOW);
}

static void drop_capabilities(void) {
    for (int cap = 0; cap <= 63; cap++) {
        int present = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (present < 0) {
            break; /* past the last capability this kernel knows */
        }
        if (present == 1 && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            perror("openagb-enter: cannot drop capability from the bounding set");
            exit(125);
        }
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    if (syscall(SYS_capset, &header, data) != 0) {
        perror("openagb-enter: cannot drop capabilities");
        exit(125);
    }
}

static void close_descriptors(void) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0) == 0) {
        return;
    }
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (max > 0 ? max : 1024); fd++) {
        close((int)fd);
    }
}

/* Every signal back to its default action and unblocked (SIGKILL and SIGSTOP cannot be changed). */
static void reset_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            signal(sig, SIG_DFL);
        }
    }
}

/* Copies what is readable on from to to; returns 0 at end of input, -1 on error, else 1. */
static int pump(int from, int to) {
    char buf[65536];
    ssize_t n = read(from, buf, sizeof buf);
    if (n == 0) {
        return 0;
    }
    if (n < 0) {
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    }
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        off += w;
    }
    return 1;
}

/* --connect PORT: a TCP relay between stdin/stdout and 127.0.0.1:PORT inside the session. */
static int relay(const char *port_text) {
    char *end = NULL;
    long port = strtol(port_text, &end, 10);
    if (end == port_text || *end != '\0' || port < 1 || port > 65535) {
        fprintf(stderr, "openagb-enter: '%s' is not a port (1-65535)\n", port_text);
        return 125;
    }
    int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        fprintf(stderr, "openagb-enter: cannot open a socket: %s\n", strerror(errno));
        return 111;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
        fprintf(stderr, "openagb-enter: nothing accepts connections on port %ld in the session: %s\n", port,
                strerror(errno));
        return 111;
    }
    int in_open = 1;
    int out_open = 1;
    while (out_open) {
        struct pollfd fds[2] = {{in_open ? 0 : -1, POLLIN, 0}, {sock, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return 111;
        }
        if (in_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            int r = pump(0, sock);
            if (r <= 0) {
                in_open = 0;
                shutdown(sock, SHUT_WR);
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            int r = pump(sock, 1);
            if (r <= 0) {
                out_open = 0;
            }
        }
    }
    close(sock);
    return 0;
}

int main(int argc, char **argv) {
    int leader = 0;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-s") == 0) {
        leader = 1;
        first = 2;
    }
    if (argc - first < 2) {
        fprintf(stderr, "usage: openagb-enter [-s] CWD PROGRAM [ARG...]\n");
        return 125;
    }
    const char *cwd = argv[first];
    if (chdir(cwd) != 0) {
        fprintf(stderr, "openagb-enter: cannot use working directory '%s': %s\n", cwd, strerror(errno));
        return 126;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("openagb-enter: cannot set no_new_privs");
        return 125;
    }
    drop_capabilities();
    build_filter();
    struct sock_fprog program = {length, filter};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
        perror("openagb-enter: cannot install the seccomp filter");
        return 125;
    }
    if (leader && setsid() < 0 && getpgrp() != getpid()) {
        perror("openagb-enter: cannot start a new session");
        return 125;
    }
    close_descriptors();
    reset_signals();
    if (strcmp(argv[first + 1], "--connect") == 0) {
        if (argc - first < 3) {
            fprintf(stderr, "usage: openagb-enter [-s] CWD --connect PORT\n");
            return 125;
        }
        return relay(argv[first + 2]);
    }
    if (strcmp(argv[first + 1], "--idle") == 0) {
        for (;;) {
            pause();
        }
    }
    execvp(argv[first + 1], argv + first + 1);
    fprintf(stderr, "openagb-enter: cannot run '%s': %s\n", argv[first + 1], strerror(errno));
    return errno == ENOENT ? 127 : 126;
}
