// crash_report.cpp - see crash_report.h.
#include "crash_report.h"

#include <csignal>
#include <cstring>
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

void onFatalSignal(int sig) {
    char num[12];
    int len = 0;
    char tmp[12];
    int v = sig;
    do {
        tmp[len++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0 && len < 11);
    for (int i = 0; i < len; ++i)
        num[i] = tmp[len - 1 - i];
    num[len] = 0;
    writeAll("\ncopilot-host: result=CRASH signal=");
    writeAll(num);
    writeAll(" during=\"");
    writeAll(g_step);
    writeAll("\"\n");
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
