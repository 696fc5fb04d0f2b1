using System.ComponentModel.DataAnnotations;

namespace Linli.Api.Hosting;

/// <summary>
/// A phone number as people type it: 6–15 digits (PhoneNumber.Problem's rule), with spaces, dashes, parentheses and a
/// leading + between them; stored as PhoneNumber.Normalise makes it. Checked by the validator, shown as the schema's pattern.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PhonePatternAttribute() : RegularExpressionAttribute(Digits)
{
    public const string Digits = @"\+?[ ()-]*([0-9][ ()-]*){6,15}";

    public override string FormatErrorMessage(string name) => "A phone number has 6–15 digits.";
}
