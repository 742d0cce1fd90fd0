using System.Reflection;
using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>
/// TUIDs as base/funknown.h's INLINE_UID lays them out. On Linux/macOS (COM_COMPATIBLE 0) the four words
/// are stored big-endian; with COM_COMPATIBLE 1 the layout is a Windows GUID's.
/// </summary>
public class TuidTests
{
    private static byte[] Bytes(Tuid id) => id.AsSpan().ToArray();

    /// <summary>The DECLARE_CLASS_IID words of SDK 3.7.14 written out as INLINE_UID bytes (COM_COMPATIBLE 0).</summary>
    public static TheoryData<string, string> HeaderIids => new()
    {
        { "FUnknown", "00000000" + "00000000" + "C0000000" + "00000046" },
        { "IPluginBase", "22888DDB" + "156E45AE" + "8358B348" + "08190625" },
        { "IPluginFactory", "7A4D811C" + "52114A1F" + "AED9D2EE" + "0B43BF9F" },
        { "IPluginFactory2", "0007B650" + "F24B4C0B" + "A464EDB9" + "F00B2ABB" },
        { "IPluginFactory3", "4555A2AB" + "C1234E57" + "9B122910" + "36878931" },
        { "IBStream", "C3BF6EA2" + "30994752" + "9B6BF990" + "1EE33E9B" },
        { "IComponent", "E831FF31" + "F2D54301" + "928EBBEE" + "25697802" },
        { "IAudioProcessor", "42043F99" + "B7DA453C" + "A569E79D" + "9AAEC33D" },
        { "IProcessContextRequirements", "2A654303" + "EF764E3D" + "95B5FE83" + "730EF6D0" },
        { "IEditController", "DCD7BBE3" + "7742448D" + "A874AACC" + "979C759E" },
        { "IMidiMapping", "DF0FF9F7" + "49B74669" + "B63AB732" + "7ADBF5E5" },
        { "IConnectionPoint", "70A4156F" + "6E6E4026" + "989148BF" + "AA60D8D1" },
        { "IMessage", "936F033B" + "C6C047DB" + "BB0882F8" + "13C1E613" },
        { "IAttributeList", "1E5F0AEB" + "CC7F4533" + "A2544011" + "38AD5EE4" },
        { "IEventList", "3A2C4214" + "346349FE" + "B2C4F397" + "B9695A44" },
        { "IParamValueQueue", "01263A18" + "ED074F6F" + "98C9D356" + "4686F9BA" },
        { "IParameterChanges", "A4779663" + "0BB64A56" + "B44384A8" + "466FEB9D" },
        { "IComponentHandler", "93A0BEA3" + "0BD045DB" + "8E890B0C" + "C1E46AC6" },
        { "IHostApplication", "58E595CC" + "DB2D4969" + "8B6AAF8C" + "36A664E5" },
    };

    private static Tuid IidByName(string name)
    {
        FieldInfo? field = typeof(Iids).GetField(name, BindingFlags.Public | BindingFlags.Static);
        Assert.NotNull(field);
        return (Tuid)field.GetValue(null)!;
    }

    [Theory]
    [MemberData(nameof(HeaderIids))]
    public void Iid_bytes_are_INLINE_UID_big_endian(string name, string hex)
    {
        Assert.False(OperatingSystem.IsWindows(), "COM_COMPATIBLE == 0 layout expected on this platform.");
        Assert.Equal(Convert.FromHexString(hex), Bytes(IidByName(name)));
    }

    [Fact]
    public void IComponent_bytes_spelled_out()
    {
        byte[] expected = [0xE8, 0x31, 0xFF, 0x31, 0xF2, 0xD5, 0x43, 0x01, 0x92, 0x8E, 0xBB, 0xEE, 0x25, 0x69, 0x78, 0x02];
        Assert.Equal(expected, Bytes(Iids.IComponent));
        Assert.Equal(expected, Bytes(Tuid.FromWords(0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802, comCompatible: false)));
        Assert.Equal("E831FF31F2D54301928EBBEE25697802", Iids.IComponent.ToString());
    }

    [Fact]
    public void Every_iid_in_the_header_table_is_covered_and_all_are_distinct()
    {
        Tuid[] all = typeof(Iids).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Tuid))
            .Select(f => (Tuid)f.GetValue(null)!)
            .ToArray();

        Assert.Equal(HeaderIids.Count, all.Length);
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.Equal(all.Length, all.Select(t => t.ToString()).Distinct().Count());
        Assert.DoesNotContain(default(Tuid), all);
    }

    [Fact]
    public void Com_compatible_layout_is_the_windows_guid_layout_of_INLINE_UID()
    {
        // INLINE_UID with COM_COMPATIBLE 1: l1 little-endian, then the high and low 16-bit halves of l2
        // each little-endian, then l3 and l4 big-endian. That is System.Guid's byte order.
        Tuid com = Tuid.FromWords(0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802, comCompatible: true);
        byte[] expected = [0x31, 0xFF, 0x31, 0xE8, 0xD5, 0xF2, 0x01, 0x43, 0x92, 0x8E, 0xBB, 0xEE, 0x25, 0x69, 0x78, 0x02];
        Assert.Equal(expected, Bytes(com));
        Assert.Equal(new Guid("E831FF31-F2D5-4301-928E-BBEE25697802").ToByteArray(), Bytes(com));
    }

    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0xC0000000u, 0x00000046u, "00000000-0000-0000-C000-000000000046")]
    [InlineData(0x4555A2ABu, 0xC1234E57u, 0x9B122910u, 0x36878931u, "4555A2AB-C123-4E57-9B12-291036878931")]
    [InlineData(0x01020304u, 0x05060708u, 0x090A0B0Cu, 0x0D0E0F10u, "01020304-0506-0708-090A-0B0C0D0E0F10")]
    public void Com_compatible_layout_matches_System_Guid(uint l1, uint l2, uint l3, uint l4, string guid)
    {
        Assert.Equal(new Guid(guid).ToByteArray(), Bytes(Tuid.FromWords(l1, l2, l3, l4, comCompatible: true)));
    }

    [Fact]
    public void Non_com_layout_of_distinct_words_is_plain_big_endian()
    {
        Tuid id = Tuid.FromWords(0x01020304, 0x05060708, 0x090A0B0C, 0x0D0E0F10, comCompatible: false);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), Bytes(id));
    }

    [Fact]
    public void Platform_overload_uses_the_non_com_layout_off_windows()
    {
        Assert.False(OperatingSystem.IsWindows());
        Assert.Equal(
            Tuid.FromWords(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931, comCompatible: false),
            Tuid.FromWords(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931));
        Assert.NotEqual(
            Tuid.FromWords(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931, comCompatible: true),
            Tuid.FromWords(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931));
    }

    [Fact]
    public void Equality_and_hash_follow_all_sixteen_bytes()
    {
        Tuid a = Tuid.FromWords(1, 2, 3, 4, comCompatible: false);
        Tuid same = Tuid.FromWords(1, 2, 3, 4, comCompatible: false);
        Assert.True(a == same);
        Assert.False(a != same);
        Assert.True(a.Equals(same));
        Assert.True(a.Equals((object)same));
        Assert.Equal(a.GetHashCode(), same.GetHashCode());

        // A difference in the first and in the last byte (the two 8-byte halves) is seen.
        Tuid firstDiffers = Tuid.FromWords(0x01000000, 2, 3, 4, comCompatible: false);
        Tuid lastDiffers = Tuid.FromWords(1, 2, 3, 5, comCompatible: false);
        Assert.True(a != firstDiffers);
        Assert.True(a != lastDiffers);
        Assert.False(a.Equals((object)lastDiffers));
        Assert.False(a.Equals("not a tuid"));
        Assert.False(a.Equals(null));
        Assert.NotEqual(a.GetHashCode(), lastDiffers.GetHashCode());

        var set = new HashSet<Tuid> { a, same, firstDiffers, lastDiffers };
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public unsafe void Read_copies_sixteen_bytes_and_null_reads_as_default()
    {
        byte* raw = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            raw[i] = (byte)(0xA0 + i);
        }

        Tuid read = Tuid.Read(raw);
        raw[15] = 0; // a copy, not a view
        Assert.Equal(0xAF, read.AsSpan()[15]);
        Assert.Equal("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF", read.ToString());
        Assert.Equal(default(Tuid), Tuid.Read(null));
    }
}
