// crash_report.cpp - see crash_report.h.
#include "crash_report.h"

#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace crash_report {
namespace {

char g_step[256] = "startup";

void writeAll(const char* s) {
    size_t n = std::strlen(s);
    while (n > 0) {
        ssize_t w = ::write(STDOUT_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= static_cast<size_t>(w);
    }
}

// Appends `s` to buf (of capacity cap, always NUL-terminated); async-signal-safe.
void append(char* buf, size_t cap, const char* s) {
    size_t at = std::strlen(buf);
    while (*s && at + 1 < cap)
        buf[at++] = *s++;
    buf[at] = 0;
}

// Decimal text of v >= 0 into num (12 bytes); async-signal-safe.
void decimal(long v, char* num) {
    char tmp[12];
    int len = 0;
    do {
        tmp[len++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0 && len < 11);
    for (int i = 0; i < len; ++i)
        num[i] = tmp[len - 1 - i];
    num[len] = 0;
}

void onFatalSignal(int sig) {
    char num[12], tid[12];
    decimal(sig, num);
    // Which thread died: the step says what the main thread was doing, but a plugin thread (an
    // inference thread, say) can crash meanwhile. prctl, gettid and getpid are signal-safe.
    const long self = static_cast<long>(::syscall(SYS_gettid));
    decimal(self, tid);
    char comm[17] = "";
    ::prctl(PR_GET_NAME, comm, 0, 0, 0);
    // One write() for the whole line: the signal may come from a plugin thread while the main
    // thread prints, and a line written in pieces could be interleaved with its output.
    char line[400] = "";
    append(line, sizeof line, "\ncopilot-host: result=CRASH signal=");
    append(line, sizeof line, num);
    append(line, sizeof line, " during=\"");
    append(line, sizeof line, g_step);
    if (self == static_cast<long>(::getpid())) {
        append(line, sizeof line, "\" thread=main\n");
    } else {
        append(line, sizeof line, "\" thread=\"");
        append(line, sizeof line, comm);
        append(line, sizeof line, " (tid ");
        append(line, sizeof line, tid);
        append(line, sizeof line, ")\"\n");
    }
    writeAll(line);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

} // namespace

void install() {
    const int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (int s : signals) {
        struct sigaction sa;
        std::memset(&sa, 0, sizeof sa);
        sa.sa_handler = onFatalSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(s, &sa, nullptr);
    }
}

void setStep(const char* step) {
    std::strncpy(g_step, step ? step : "", sizeof g_step - 1);
    g_step[sizeof g_step - 1] = 0;
}

} // namespace crash_report
