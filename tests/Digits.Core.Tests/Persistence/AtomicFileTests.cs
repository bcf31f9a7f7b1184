using System.Diagnostics;
using Digits.Core.Persistence;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Persistence;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_AfterAWriterWasKilled_RemovesItsTemporaryFileButNotALiveWritersOrOthers()
    {
        string path = _dir.File("run.digits");
        // A process that has ended, as a writer killed mid-write has.
        using Process ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await ended.WaitForExitAsync(TestContext.Current.CancellationToken);
        string dead = $"{path}.{ended.Id}.0123456789abcdef0123456789abcdef.tmp";
        string live = $"{path}.{Environment.ProcessId}.fedcba9876543210fedcba9876543210.tmp";
        string otherFile = _dir.File("other.digits") + $".{ended.Id}.0123456789abcdef0123456789abcdef.tmp";
        string notOurs = $"{path}.notes.tmp";
        foreach (string file in new[] { dead, live, otherFile, notOurs })
        {
            File.WriteAllText(file, "left over");
        }

        AtomicFile.Write(path, stream => stream.Write("whole"u8));

        Assert.Equal("whole", File.ReadAllText(path));
        Assert.False(File.Exists(dead), "the killed writer's temporary file is still there");
        Assert.True(File.Exists(live), "a running writer's temporary file was removed");
        Assert.True(File.Exists(otherFile), "another file's temporary file was removed");
        Assert.True(File.Exists(notOurs), "a file not named as a temporary one was removed");
    }
}
