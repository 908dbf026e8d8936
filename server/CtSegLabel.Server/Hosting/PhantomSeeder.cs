using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Server.Datastore;

namespace CtSegLabel.Server.Hosting;

/// <summary>Fills an empty studies folder with synthetic CT phantoms (<c>--seed-phantoms N</c>), so a fresh
/// install has something for Slicer to fetch. Runs before the datastore's first reconcile, which then picks
/// the files up like any images dropped into the folder.</summary>
public static class PhantomSeeder
{
    public static void SeedIfEmpty(ServerOptions options, FileNameRules names, ILogger logger)
    {
        if (options.SeedPhantoms <= 0) return;
        string studies = options.StudiesPath;
        if (Directory.Exists(studies) && Directory.EnumerateFiles(studies).Any(f => names.TrySplitImage(Path.GetFileName(f), out _, out _)))
        {
            logger.LogInformation("Studies folder {Studies} already has images: no phantoms seeded", studies);
            return;
        }
        var phantomOptions = new PhantomOptions { Size = options.SeedPhantomSize };
        foreach (var phantom in PhantomStudies.Write(studies, seed: 0, options.SeedPhantoms, phantomOptions, withLabels: false))
            logger.LogInformation("Seeded phantom {Id} ({Shape}) into {Studies}", phantom.Id, phantom.Ct.Shape, studies);
    }
}
