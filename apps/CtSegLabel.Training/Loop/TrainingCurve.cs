using System.Globalization;
using System.Text;
using CtSegLabel.Imaging.Formats;
using ScottPlot;

namespace CtSegLabel.Training.Loop;

/// <summary>The learning curve of a run: curve.csv (epoch, step, loss, dice, seconds; dice empty where the epoch did
/// not validate) and curve.png (training loss on the left axis, validation Dice on the right).</summary>
internal static class TrainingCurve
{
    public static void WriteCsv(string path, IReadOnlyList<EpochRecord> history)
    {
        var text = new StringBuilder("epoch,step,loss,dice,seconds\n");
        foreach (var e in history)
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{e.Epoch},{e.Step},{e.TrainLoss:G6},{(e.ValidationDice is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : "")},{e.Elapsed.TotalSeconds:F1}\n"));
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static void WritePng(string path, IReadOnlyList<EpochRecord> history)
    {
        var plot = new Plot();
        var loss = plot.Add.Scatter(history.Select(e => (double)e.Epoch).ToArray(), history.Select(e => e.TrainLoss).ToArray());
        loss.LegendText = "training loss";
        var validated = history.Where(e => e.ValidationDice is not null).ToList();
        if (validated.Count > 0)
        {
            var dice = plot.Add.Scatter(validated.Select(e => (double)e.Epoch).ToArray(), validated.Select(e => e.ValidationDice!.Value).ToArray());
            dice.LegendText = "validation Dice";
            dice.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "Dice";
        }
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "loss";
        plot.ShowLegend();
        byte[] png = plot.GetImageBytes(800, 500, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
