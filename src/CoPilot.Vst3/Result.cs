namespace CoPilot.Vst3;

/// <summary>
/// tresult values of pluginterfaces/base/funknown.h for COM_COMPATIBLE == 0 (Linux, macOS).
/// On Windows the SDK uses HRESULT values instead; see <see cref="Result"/>'s static constructor.
/// </summary>
public static class Result
{
    public static readonly int kNoInterface;
    public static readonly int kResultOk;
    public static readonly int kResultTrue;
    public static readonly int kResultFalse;
    public static readonly int kInvalidArgument;
    public static readonly int kNotImplemented;
    public static readonly int kInternalError;
    public static readonly int kNotInitialized;
    public static readonly int kOutOfMemory;

    static Result()
    {
        if (OperatingSystem.IsWindows())
        {
            // COM_COMPATIBLE == 1: the SDK maps tresult onto HRESULT.
            kNoInterface = unchecked((int)0x80004002);
            kResultOk = 0;
            kResultFalse = 1;
            kInvalidArgument = unchecked((int)0x80070057);
            kNotImplemented = unchecked((int)0x80004001);
            kInternalError = unchecked((int)0x80004005);
            kNotInitialized = unchecked((int)0x8000FFFF);
            kOutOfMemory = unchecked((int)0x8007000E);
        }
        else
        {
            kNoInterface = -1;
            kResultOk = 0;
            kResultFalse = 1;
            kInvalidArgument = 2;
            kNotImplemented = 3;
            kInternalError = 4;
            kNotInitialized = 5;
            kOutOfMemory = 6;
        }

        kResultTrue = kResultOk;
    }

    public static int FromBool(bool ok) => ok ? kResultOk : kResultFalse;
}
