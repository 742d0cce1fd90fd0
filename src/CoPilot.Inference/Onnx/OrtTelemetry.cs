using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace CoPilot.Inference.Onnx;

/// <summary>
/// Keeps ONNX Runtime's telemetry off inside the plugin and the tools.
/// </summary>
/// <remarks>
/// The official Linux build of ONNX Runtime 1.31 records telemetry by default: loaded in a DAW it created a
/// device id and an event database under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/. A plugin must not
/// do that behind the musician's back. <c>DisableTelemetryEvents</c> only stops optional events, so the
/// library's own switch, the C environment variable ORT_DISABLE_TELEMETRY, is set before ONNX Runtime is first
/// touched (setenv: <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the C
/// environment on Unix). A value the user set is left alone.
/// </remarks>
internal static partial class OrtTelemetry
{
    private const string Variable = "ORT_DISABLE_TELEMETRY";
    private static int _done;

    /// <summary>Call before anything else of ONNX Runtime (off the audio thread: it may load the library).</summary>
    public static void TurnOff()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            // A failure only leaves telemetry as ONNX Runtime ships it; inference is unaffected.
            _ = SetEnvironment(Variable, "1", overwrite: 0);
        }

        OrtEnv.Instance().DisableTelemetryEvents();
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
