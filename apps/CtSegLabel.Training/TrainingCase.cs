namespace CtSegLabel.Training;

/// <summary>One annotated image: a CT and its numbered label map (values of the CT class table) on the same grid.</summary>
/// <param name="LabelNames">The class names the annotation covers (MONAI Label's label_info of the submitted label):
/// an organ named here but absent from the map is taught as absent. Null = only the classes present are annotated
/// (<see cref="TrainingTargets.AnnotatedClasses"/>).</param>
public sealed record TrainingCase(string Id, string ImagePath, string LabelPath, IReadOnlyList<string>? LabelNames = null);
