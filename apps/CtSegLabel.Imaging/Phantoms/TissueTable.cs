namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// The Hounsfield values of one phantom's tissues. Values are typical unenhanced CT figures with a
/// little patient-to-patient spread; contrast medium raises blood and the organs it perfuses
/// according to the phase (arterial: aorta and heart up to ~250 HU; venous: veins, kidneys,
/// spleen). Bone scales with the patient's bone density.
/// </summary>
public sealed class TissueTable
{
    public TissueTable(PatientVariation v, ref PhantomRandom r)
    {
        var phase = v.Contrast;
        double Enh(double venous, double arterial) => phase switch { ContrastPhase.Venous => venous, ContrastPhase.Arterial => arterial, _ => 0 };

        Fat = Tissue.Uniform(r.Uniform(-110, -90));
        VisceralFat = Tissue.Uniform(Fat.Hu + r.Uniform(5, 20));
        Muscle = Tissue.Uniform(r.Uniform(35, 55) + Enh(10, 5));
        SoftTissue = Tissue.Uniform(r.Uniform(30, 45) + Enh(20, 10));
        Lung = Tissue.Uniform(r.Uniform(-880, -820));
        Air = Tissue.Uniform(-1000);
        BowelGas = Tissue.Uniform(r.Uniform(-990, -900));
        double blood = r.Uniform(35, 50);
        ArterialBlood = Tissue.Uniform(blood + Enh(r.Uniform(110, 150), r.Uniform(170, 210)));
        VenousBlood = Tissue.Uniform(blood + Enh(r.Uniform(100, 140), r.Uniform(10, 40)));
        Myocardium = Tissue.Uniform(r.Uniform(40, 50) + Enh(40, 60));
        Liver = Tissue.Uniform(r.Uniform(52, 65) + Enh(r.Uniform(8, 15), r.Uniform(2, 8)));
        Spleen = Tissue.Uniform(r.Uniform(42, 52) + Enh(r.Uniform(50, 70), r.Uniform(40, 60)));
        Kidney = Tissue.Uniform(r.Uniform(32, 42) + Enh(r.Uniform(100, 125), r.Uniform(80, 110)));
        Pancreas = Tissue.Uniform(r.Uniform(35, 45) + Enh(40, 50));
        Adrenal = Tissue.Uniform(r.Uniform(25, 35) + Enh(25, 20));
        Bile = Tissue.Uniform(r.Uniform(5, 20));
        Urine = Tissue.Uniform(r.Uniform(2, 15));
        Brain = Tissue.Uniform(r.Uniform(30, 40));
        Csf = Tissue.Uniform(r.Uniform(2, 10));
        BowelContent = Tissue.Uniform(r.Uniform(15, 35));
        Cartilage = Tissue.Uniform(r.Uniform(100, 140));
        Disc = Tissue.Uniform(r.Uniform(75, 100));
        Thyroid = Tissue.Uniform(r.Uniform(80, 110) + Enh(50, 40));
        Eye = Tissue.Uniform(r.Uniform(5, 15));
        double cortex = r.Uniform(1000, 1300) * v.BoneDensity;
        double cancellous = r.Uniform(330, 430) * v.BoneDensity;
        Bone = Tissue.Bone(cancellous, cortex, 1.6);
        ThinBone = Tissue.Bone(cancellous + 150, cortex, 2.0);
        LongBone = Tissue.Bone(r.Uniform(20, 80), cortex, 4.5);
        Skull = Tissue.Bone(cancellous + 250, cortex, 2.2);
        Tooth = Tissue.Uniform(Math.Min(2500, cortex * 1.8));
    }

    public Tissue Fat { get; }
    public Tissue VisceralFat { get; }
    public Tissue Muscle { get; }
    public Tissue SoftTissue { get; }
    public Tissue Lung { get; }
    public Tissue Air { get; }
    public Tissue BowelGas { get; }
    public Tissue ArterialBlood { get; }
    public Tissue VenousBlood { get; }
    public Tissue Myocardium { get; }
    public Tissue Liver { get; }
    public Tissue Spleen { get; }
    public Tissue Kidney { get; }
    public Tissue Pancreas { get; }
    public Tissue Adrenal { get; }
    public Tissue Bile { get; }
    public Tissue Urine { get; }
    public Tissue Brain { get; }
    public Tissue Csf { get; }
    public Tissue BowelContent { get; }
    public Tissue Cartilage { get; }
    public Tissue Disc { get; }
    public Tissue Thyroid { get; }
    public Tissue Eye { get; }

    /// <summary>Cancellous interior in a thin cortical shell: vertebrae, pelvis, ribs, short and flat bones.</summary>
    public Tissue Bone { get; }

    /// <summary>Small flat bones, denser throughout (scapula blade, facial bones).</summary>
    public Tissue ThinBone { get; }

    /// <summary>Shafts of long bones: fatty marrow in a thick cortex.</summary>
    public Tissue LongBone { get; }

    public Tissue Skull { get; }
    public Tissue Tooth { get; }
}
