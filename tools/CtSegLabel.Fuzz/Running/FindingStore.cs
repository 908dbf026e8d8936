using System.Text;

namespace CtSegLabel.Fuzz.Running;

/// <summary>Writes a finding as OUT/target/findings/NAME.bin plus NAME.txt with its outcome, detail and
/// the command that replays it.</summary>
public static class FindingStore
{
    public static string Save(string outputDir, string target, Outcome outcome, byte[] input)
    {
        string dir = Path.Combine(outputDir, target, "findings");
        Directory.CreateDirectory(dir);
        string name = $"{FileSafe(outcome.Key)}-{FuzzRunner.Hash(input)}";
        string bin = Path.Combine(dir, name + ".bin");
        File.WriteAllBytes(bin, input);
        File.WriteAllText(Path.Combine(dir, name + ".txt"),
            $"target: {target}\noutcome: {outcome.Key}\nbytes: {input.Length}\n" +
            $"reproduce: dotnet run --project tools/CtSegLabel.Fuzz -c Release -- --target {target} --replay {Path.GetFullPath(bin)}\n\n" +
            outcome.Detail + "\n");
        return bin;
    }

    public static string FileSafe(string key)
    {
        var sb = new StringBuilder();
        foreach (char c in key)
        {
            if (sb.Length >= 60) break;
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }
        return sb.ToString();
    }
}
