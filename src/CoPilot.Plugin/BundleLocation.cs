using System.Runtime.InteropServices;
using CoPilot.Inference.Generation;

namespace CoPilot.Plugin;

/// <summary>
/// Where the plugin's bundle is: found from the shared library's own path (dladdr on one of its exports),
/// because inside a host <c>AppContext.BaseDirectory</c> is the host's folder, not the plugin's.
/// </summary>
/// <remarks>
/// Linux layout: <c>CoPilot.vst3/Contents/x86_64-linux/CoPilot.so</c>, resources in <c>Contents/Resources</c>.
/// Outside a NativeAOT build (the tests) the export is a JIT stub in no library, and there is no bundle.
/// </remarks>
internal static unsafe partial class BundleLocation
{
    /// <summary>The shipped model in the bundle's Contents/Resources, or null when the bundle cannot be located.</summary>
    public static string? ModelPath()
    {
        string? library = LibraryPath();
        string? binaries = library is null ? null : Path.GetDirectoryName(library);
        string? contents = binaries is null ? null : Path.GetDirectoryName(binaries);
        return contents is null ? null : Path.Combine(contents, "Resources", ModelLoader.ShippedFileName);
    }

    /// <summary>The file the plugin's code was loaded from, or null (not Linux, or not a native library).</summary>
    public static string? LibraryPath()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            DlInfo info;
            nint address = (nint)(delegate* unmanaged<nint>)&Exports.GetPluginFactory;
            if (dladdr(address, &info) == 0 || info.dli_fname == 0)
            {
                return null;
            }

            string? path = Marshal.PtrToStringUTF8(info.dli_fname);
            return path is not null && path.EndsWith(".so", StringComparison.Ordinal) ? Path.GetFullPath(path) : null;
        }
#pragma warning disable CA1031 // A libc without dladdr means no bundle path, never a failed initialize.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    // dladdr lives in libc since glibc 2.34 and in libdl before; libdl.so.2 still forwards it on newer systems.
    [LibraryImport("libdl.so.2")]
    private static partial int dladdr(nint address, DlInfo* info);

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint dli_fname;
        public nint dli_fbase;
        public nint dli_sname;
        public nint dli_saddr;
    }
}
