// crash_report.h - turns a crash inside the plugin into a last, parseable summary line.
//
// A fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) prints
//   copilot-host: result=CRASH signal=N during="<step>"
// with write(2) only (async-signal-safe), then re-raises the signal with its default action so the
// exit status still says "killed by signal". The handlers are installed before the plugin is
// loaded: a NativeAOT runtime installs its own SIGSEGV handler later and chains to ours for faults
// outside managed code.
#pragma once

namespace crash_report {

void install();
// Names what the host is doing now (copied into a fixed buffer; call from the main thread).
void setStep(const char* step);

} // namespace crash_report
