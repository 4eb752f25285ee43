using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace TaskQueue;

/// <summary>
/// Keeps large task bodies in Amazon S3 (or an S3-compatible server, path-style): one object per body, written with one
/// PutObject (a multipart upload of 8 MiB parts above <see cref="MultipartThreshold"/>), read as a stream, deleted
/// after the task's message. A missing object or bucket is reported as
/// <see cref="PayloadNotFoundException"/>; every other error is the SDK's, which the worker counts as a failed attempt.
/// </summary>
public sealed class S3PayloadStore : IPayloadStore
{
    /// <summary>Bodies larger than this many bytes are uploaded in parts of this size: a failed part is retried alone, and servers that cap one request's size take them.</summary>
    public const int MultipartThreshold = 8 * 1024 * 1024;

    private readonly IAmazonS3 _s3;

    /// <summary>Creates the store.</summary>
    /// <param name="s3">The S3 client; the caller keeps and disposes it. For a local server, set <c>ForcePathStyle</c> on its config.</param>
    public S3PayloadStore(IAmazonS3 s3)
    {
        ArgumentNullException.ThrowIfNull(s3);
        _s3 = s3;
    }

    /// <inheritdoc />
    public async Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > MultipartThreshold)
        {
            await PutInPartsAsync(bucket, key, payload, cancellationToken).ConfigureAwait(false);
            return;
        }

        var content = new ReadOnlyMemoryStream(payload);
        await using (content.ConfigureAwait(false))
        {
            var request = new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = content,
                AutoCloseStream = false,
                ContentType = "application/json",
            };
            await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutInPartsAsync(string bucket, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            for (var offset = 0; offset < payload.Length; offset += MultipartThreshold)
            {
                var part = payload.Slice(offset, Math.Min(MultipartThreshold, payload.Length - offset));
                var content = new ReadOnlyMemoryStream(part);
                await using (content.ConfigureAwait(false))
                {
                    var uploaded = await _s3.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = bucket,
                            Key = key,
                            UploadId = upload.UploadId,
                            PartNumber = parts.Count + 1,
                            InputStream = content,
                            PartSize = part.Length,
                        },
                        cancellationToken).ConfigureAwait(false);
                    parts.Add(new PartETag(parts.Count + 1, uploaded.ETag));
                }
            }

            await _s3.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Parts left of an unfinished upload are billed until aborted.
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            throw new PayloadNotFoundException(bucket, key, ex);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already (S3 answers a delete of a missing key with success; some servers with 404): what was asked for.
        }
    }

    /// <summary>Creates the bucket unless it exists: once, when deploying, or in a test against a local server.</summary>
    /// <param name="s3">The S3 client.</param>
    /// <param name="bucketName">The bucket.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>True when it was created, false when it existed.</returns>
    public static async Task<bool> EnsureBucketAsync(IAmazonS3 s3, string bucketName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucketName }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            return false;
        }
    }

    /// <summary>The object's content; disposing it disposes the response, which gives its connection back.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _content = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _content.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _content.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _content.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A read-only stream over the body's bytes, so that putting it copies nothing.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> content) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position
        {
            get => _position;
            set => _position = (int)Math.Clamp(value, 0, content.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, content.Length - _position);
            content.Span.Slice(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => content.Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
