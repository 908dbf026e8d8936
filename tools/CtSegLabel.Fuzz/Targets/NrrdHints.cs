using CtSegLabel.Fuzz.Mutation;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>Interesting values for the NRRD header fields and the .seg.nrrd Segment keys.</summary>
public static class NrrdHints
{
    public static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        ["NRRD000"] = ["0", "4", "5", "6", "9", "4\r", "4 "],
        ["dimension: "] = ["0", "1", "2", "3", "4", "5", "-3", "99999999999", "3.0", ""],
        ["sizes: "] = ["0 4 3", "-1 4 3", "5 4", "5 4 3 1", "5 4 3 2", "1 1 1", "65536 65536 65536", "2147483648 1 1",
            "1024 1024 1024", "4194304 1 1", "2048 2048 1", "9223372036854775807 1 1", "5 4 3x", "5\t4\t3", "  5 4 3  "],
        ["type: "] = ["int8", "uchar", "short", "ushort", "int", "uint", "float", "double", "int64", "block", "char", "",
            "unsigned  short", "UNSIGNED CHAR", "long long"],
        ["encoding: "] = ["raw", "gzip", "gz", "ascii", "text", "txt", "hex", "bzip2", "zip", ""],
        ["endian: "] = ["little", "big", "middle", ""],
        ["space: "] = ["left-posterior-superior", "RAS", "LAS", "scanner-xyz", "3D-left-handed", "right-anterior-superior-time", ""],
        ["space directions: "] = ["(1,0,0) (0,1,0) (0,0,1)", "(0,0,0) (0,1,0) (0,0,1)", "(1,0,0) (1,0,0) (0,0,1)",
            "none (1,0,0) (0,1,0) (0,0,1)", "(nan,0,0) (0,1,0) (0,0,1)", "(1e308,1e308,0) (0,1,0) (0,0,1)",
            "(1,0) (0,1,0) (0,0,1)", "(1,0,0 (0,1,0) (0,0,1)", "none none none", "(1,0,0) (0,1,0)", "(1e-300,0,0) (0,1e-300,0) (0,0,1e-300)"],
        ["space origin: "] = ["(0,0,0)", "(inf,0,0)", "(nan,nan,nan)", "(1,2)", "((1,2,3))", "none", "(1,2,3) (4,5,6)"],
        ["spacings: "] = ["1 1 1", "0 1 1", "nan nan nan", "-1 1 1", "1 1", "1 1 1 1", "inf 1 1"],
        ["kinds: "] = ["domain domain domain", "list domain domain domain", "domain domain domain list", "space space space", "vector", ""],
        ["byte skip: "] = ["0", "-1", "-2", "1", "352", "1000000", "9223372036854775807", "x"],
        ["line skip: "] = ["0", "1", "2", "1000000", "-1", "9223372036854775807"],
        ["data file: "] = ["fuzz.raw", "./fuzz.raw", "../fuzz.raw", "missing.raw", "input.nhdr", "fuzz%03d.raw 1 3 1", "LIST",
            "", ".", "/", "/dev/null", "/dev/zero"],
        ["Segment0_LabelValue:="] = ["1", "0", "-1", "255", "256", "65536", "2147483647", "4194304", "x", ""],
        ["Segment1_LabelValue:="] = ["1", "2", "5", "300", "2147483647"],
        ["Segment0_Layer:="] = ["0", "1", "-1", "2", "2147483647", "x"],
        ["Segment1_Layer:="] = ["0", "1", "2", "-1"],
        ["Segment0_ID:="] = ["", "Segment_1", "a\\nb", "\\\\"],
        ["Segment1_ID:="] = ["", "Segment_1"],
        ["Segment0_Color:="] = ["1 0 0", "nan 0 0", "1 0", "1e308 -1e308 0", "x y z", ""],
        ["Segment0_Extent:="] = ["0 1 0 1 0 1", "-1 0", ""],
        ["Segment2_ID:="] = ["s2", ""],
    };

    public static MutationHints Text => new([], Fields);
}
