// Compiled with the README's typed-handler block (see tests/TaskQueue.DocsTests): the application's own OCR service
// the handler depends on.
public interface IOcrEngine
{
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    Task ReadAsync(string entityId, string language, CancellationToken cancellationToken);
}
