namespace CtSegLabel.Server.Routes;

/// <summary>JSON answers that have no DTO: pre-serialized bytes, <c>{}</c> and <c>null</c>.</summary>
public static class JsonResults
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();
    private static readonly byte[] Null = "null"u8.ToArray();

    public static IResult Raw(byte[] json) => TypedResults.Bytes(json, "application/json");

    /// <summary><c>{}</c> — MONAI Label's answer to deletes and HEAD checks.</summary>
    public static IResult Empty() => Raw(EmptyObject);

    /// <summary><c>null</c> with a JSON Content-Type — e.g. DELETE /train/ when idle.</summary>
    public static IResult NullValue() => Raw(Null);
}
