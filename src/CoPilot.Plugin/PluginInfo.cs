using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>What the host sees before it creates anything: class IDs, names, categories, version.</summary>
internal static class PluginInfo
{
    public const string Name = "CoPilot";
    public const string Vendor = "CoPilot";
    public const string Url = "https://github.com/copilot-midi/copilot";
    public const string Email = "mailto:copilot@localhost";
    public const string Version = "0.1.0";
    public const string SdkVersion = "VST 3.7.14";

    /// <summary>
    /// "Fx|Generator": a MIDI effect that also makes notes of its own. Hosts keep calling process() during
    /// silence for generators, which CoPilot needs to answer after the player stops.
    /// </summary>
    public const string SubCategories = "Fx|Generator";

    public static readonly Tuid ProcessorCid = Tuid.FromWords(0x4301A07C, 0x0B9D4F67, 0xBC3198F3, 0x4E2E7435);
    public static readonly Tuid ControllerCid = Tuid.FromWords(0xDF00E0CA, 0x653F45AE, 0x97E44C0F, 0x10C8BBBD);

    public static PluginFactory CreateFactory() => new(
        new FactoryInfo(Vendor, Url, Email),
        new ClassEntry
        {
            Cid = ProcessorCid,
            Category = "Audio Module Class",
            Name = Name,
            ClassFlags = ComponentFlags.kDistributable,
            SubCategories = SubCategories,
            Vendor = Vendor,
            Version = Version,
            SdkVersion = SdkVersion,
            Create = static () => new Processor(),
        },
        new ClassEntry
        {
            Cid = ControllerCid,
            Category = "Component Controller Class",
            Name = Name + " Controller",
            SubCategories = "",
            Vendor = Vendor,
            Version = Version,
            SdkVersion = SdkVersion,
            Create = static () => new Controller(),
        });
}
