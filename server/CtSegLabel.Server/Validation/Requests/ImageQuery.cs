using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET|HEAD /datastore/image?image=ID[&amp;check_sum=ALGO:hex]</c> and <c>GET /datastore/image/info?image=ID</c>.</summary>
public sealed class ImageQuery
{
    [FromQuery(Name = "image")] public string? Image { get; set; }

    [FromQuery(Name = "check_sum")] public string? CheckSum { get; set; }
}

public sealed class ImageQueryValidator : AbstractValidator<ImageQuery>
{
    public ImageQueryValidator()
    {
        RuleFor(x => x.Image).Required().InQuery("image");
        RuleFor(x => x.Image).ValidId().InQuery("image");
        RuleFor(x => x.CheckSum)
            .Must(c => c is null || (Datastore.FileChecksum.TryParse(c, out string algorithm, out string hex) && hex.Length == DigestHexLength(algorithm)))
            .WithMessage((_, c) => $"'{c}' is not 'ALGO:hexdigest' (SHA256, SHA512, SHA1, MD5) or a bare SHA256 hex digest")
            .WithErrorCode("value_error.checksum")
            .InQuery("check_sum");
    }

    /// <summary>A digest has exactly this many hex digits; anything else cannot match and may be an attempt to make the
    /// server hash and compare megabytes of text.</summary>
    private static int DigestHexLength(string algorithm) => algorithm switch
    {
        "SHA512" => 128,
        "SHA256" => 64,
        "SHA1" => 40,
        _ => 32,
    };
}
