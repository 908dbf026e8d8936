namespace CtSegLabel.Models;
public static class ComputeDevice { }
