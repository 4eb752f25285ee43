using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using FluentAssertions;

namespace TaskQueue.Tests.Sns;

/// <summary>Checked against the example AWS publishes for Signature Version 4 (IAM ListUsers, 2015-08-30T12:36:00Z).</summary>
public class SigV4SignerTests
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private static readonly DateTimeOffset ExampleTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly Uri ExampleUri = new("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");

    [Fact]
    public void CanonicalRequest_AwsExample_HashesToThePublishedValue()
    {
        var canonical = SigV4Signer.CanonicalRequest(
            "GET",
            ExampleUri,
            [new("Content-Type", ContentType), new("Host", "iam.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            SigV4Signer.Hex(SHA256.HashData([])),
            out var signedHeaders);

        signedHeaders.Should().Be("content-type;host;x-amz-date");
        canonical.Should().Be(
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            + "content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        SigV4Signer.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).Should().Be("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    }

    [Fact]
    public void SigningKey_AwsExample_IsThePublishedKey() =>
        SigV4Signer.Hex(SigV4Signer.SigningKey(SecretKey, "20150830", "us-east-1", "iam"))
            .Should().Be("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");

    [Fact]
    public void Sign_AwsExample_GivesThePublishedAuthorizationHeader()
    {
        var headers = SigV4Signer.Sign(
            "GET", ExampleUri, [new("content-type", ContentType)], [], new ImmutableCredentials("AKIDEXAMPLE", SecretKey, null), "us-east-1", "iam", ExampleTime);

        headers.Should().Equal(
            new KeyValuePair<string, string>("x-amz-date", "20150830T123600Z"),
            new KeyValuePair<string, string>(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));
    }

    [Fact]
    public void Sign_SessionToken_SentAndSigned()
    {
        var headers = SigV4Signer.Sign(
            "POST", new Uri("http://127.0.0.1:4566/"), [], "Action=Publish"u8, new ImmutableCredentials("AKID", "secret", "token-1"), "us-east-1", "sns", ExampleTime);

        headers.Should().Contain(new KeyValuePair<string, string>("x-amz-security-token", "token-1"));
        headers.Single(h => h.Key == "Authorization").Value.Should().Contain("SignedHeaders=host;x-amz-date;x-amz-security-token,");
    }

    [Fact]
    public void Sign_PostBody_SignsThePayloadHashAndTheHostWithItsPort()
    {
        var body = "Action=Publish&Message=%7B%7D"u8.ToArray();
        var canonical = SigV4Signer.CanonicalRequest(
            "POST", new Uri("http://127.0.0.1:4566/"), [new("host", "127.0.0.1:4566"), new("x-amz-date", "20150830T123600Z")], SigV4Signer.Hex(SHA256.HashData(body)), out _);

        var authorization = SigV4Signer.Sign(
            "POST", new Uri("http://127.0.0.1:4566/"), [], body, new ImmutableCredentials("AKID", "secret", null), "us-east-1", "sns", ExampleTime)
            .Single(h => h.Key == "Authorization").Value;

        canonical.Should().StartWith("POST\n/\n\nhost:127.0.0.1:4566\n").And.EndWith(SigV4Signer.Hex(SHA256.HashData(body)));
        var expected = SigV4Signer.Hex(HMACSHA256.HashData(
            SigV4Signer.SigningKey("secret", "20150830", "us-east-1", "sns"),
            Encoding.UTF8.GetBytes($"AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/sns/aws4_request\n{SigV4Signer.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}")));
        authorization.Should().EndWith("Signature=" + expected);
    }

    [Theory]
    [InlineData("a b+c", "a%20b%2Bc")]
    [InlineData("-_.~AZaz09", "-_.~AZaz09")]
    [InlineData("é/=&", "%C3%A9%2F%3D%26")]
    public void Encode_Rfc3986(string value, string encoded) => SigV4Signer.Encode(value).Should().Be(encoded);
}
