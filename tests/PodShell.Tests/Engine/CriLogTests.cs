using System;
using System.IO;
using System.Linq;
using System.Text;
using PodShell.Engine;
using PodShell.Init.Logging;
using PodShell.Native.Logging;
using Xunit;

namespace PodShell.Tests.Engine;

public class CriLogReaderTests
{
    [Fact]
    public void ReadsFullLinesWithTheirStreamAndTime()
    {
        var entries = new CriLogReader().Feed("2024-01-02T03:04:05.123456789Z stdout F hello world\n2024-01-02T03:04:06Z stderr F oops\n");
        Assert.Equal(2, entries.Count);
        Assert.Equal("hello world", entries[0].Text);
        Assert.Equal(LogStream.Stdout, entries[0].Stream);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), entries[0].Timestamp);
        Assert.Equal(LogStream.Stderr, entries[1].Stream);
    }

    [Fact]
    public void JoinsPartialLinesPerStreamAcrossFeeds()
    {
        var reader = new CriLogReader();
        Assert.Empty(reader.Feed("2024-01-02T03:04:05Z stdout P abc\n2024-01-02T03:04:05Z stderr P err\n"));
        var entries = reader.Feed("2024-01-02T03:04:05Z stdout F def\n2024-01-02T03:04:05Z stderr F or\n");
        Assert.Equal(new[] { "abcdef", "error" }, entries.Select(e => e.Text));
    }

    [Fact]
    public void KeepsAnEmptyLineAndSkipsMalformedOnes()
    {
        var entries = new CriLogReader().Feed("2024-01-02T03:04:05Z stdout F \ngarbage\n2024-01-02T03:04:05Z stdin F x\nnot-a-time stdout F y\n2024-01-02T03:04:05Z stdout F z\n");
        Assert.Equal(new[] { "", "z" }, entries.Select(e => e.Text));
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", 0, 0)]
    [InlineData("2024-01-02T03:04:05.5Z", 5_000_000, 0)]
    [InlineData("2024-01-02T03:04:05.000000001Z", 0, 0)]
    [InlineData("2024-01-02T03:04:05.25+02:00", 2_500_000, 120)]
    [InlineData("2024-01-02T03:04:05-05:30", 0, -330)]
    public void ParsesRfc3339WithUpToNineDigits(string text, long ticks, int offsetMinutes)
    {
        Assert.True(CriTimestamp.TryParse(text, out var value));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks), value);
    }

    [Theory]
    [InlineData("2024-01-02 03:04:05Z")]
    [InlineData("2024-01-02T03:04:05")]
    [InlineData("2024-01-02T03:04:05.Z")]
    [InlineData("2024-13-02T03:04:05Z")]
    public void RejectsOtherTimeFormats(string text) => Assert.False(CriTimestamp.TryParse(text, out _));
}

public class CriLogFileTests
{
    private static string Line(int second, string stream, char tag, string text) => $"2024-01-02T03:{second / 60 % 60:00}:{second % 60:00}.000000000Z {stream} {tag} {text}\n";

    [Fact]
    public void TailReadsTheLastEntriesFromTheEndOfALargeFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("container.log");
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++) text.Append(Line(i, "stdout", 'F', $"line {i}"));
        File.WriteAllText(path, text.ToString());
        var tail = new CriLogFile(path).ReadFirst(3, since: null);
        Assert.Equal(new[] { "line 19997", "line 19998", "line 19999" }, tail.Select(e => e.Text));
    }

    [Fact]
    public void TailJoinsAnEntryWhosePartialLinesStartBeforeTheFirstWindow()
    {
        using var dir = new TempDirectory();
        var path = dir.File("container.log");
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++) text.Append(Line(i, "stdout", 'F', $"short {i}"));
        var chunk = new string('x', 16 * 1024);
        for (var i = 0; i < 9; i++) text.Append(Line(200, "stdout", 'P', chunk));
        text.Append(Line(200, "stdout", 'F', "end-of-long"));
        text.Append(Line(201, "stderr", 'F', "last"));
        File.WriteAllText(path, text.ToString());
        var tail = new CriLogFile(path).ReadFirst(3, since: null);
        Assert.Equal("short 99", tail[0].Text);
        Assert.Equal(string.Concat(Enumerable.Repeat(chunk, 9)) + "end-of-long", tail[1].Text);
        Assert.Equal("last", tail[2].Text);
    }

    [Fact]
    public void FollowReadsOnlyWholeAppendedLinesAndRestartsAfterTruncation()
    {
        using var dir = new TempDirectory();
        var path = dir.File("container.log");
        File.WriteAllText(path, Line(1, "stdout", 'F', "one"));
        var file = new CriLogFile(path);
        Assert.Equal(new[] { "one" }, file.ReadFirst(tail: null, since: null).Select(e => e.Text));
        var two = Line(2, "stdout", 'F', "two");
        File.AppendAllText(path, two[..10]);
        Assert.Empty(file.ReadNew());
        File.AppendAllText(path, two[10..]);
        Assert.Equal(new[] { "two" }, file.ReadNew().Select(e => e.Text));
        File.WriteAllText(path, Line(3, "stdout", 'F', "new"));
        Assert.Equal(new[] { "new" }, file.ReadNew().Select(e => e.Text));
    }

    [Fact]
    public void SinceDropsOlderEntriesBeforeTheTailIsCounted()
    {
        using var dir = new TempDirectory();
        var path = dir.File("container.log");
        File.WriteAllText(path, Line(1, "stdout", 'F', "a") + Line(2, "stdout", 'F', "b") + Line(3, "stdout", 'F', "c"));
        var since = new DateTimeOffset(2024, 1, 2, 3, 0, 2, TimeSpan.Zero);
        Assert.Equal(new[] { "b", "c" }, new CriLogFile(path).ReadFirst(5, since).Select(e => e.Text));
        Assert.Equal(new[] { "c" }, new CriLogFile(path).ReadFirst(1, since).Select(e => e.Text));
        Assert.Empty(new CriLogFile(path).ReadFirst(0, since));
        Assert.Empty(new CriLogFile(dir.File("missing.log")).ReadFirst(2, since));
    }

    [Fact]
    public void WhatTheShimWritesReadsBackLineForLine()
    {
        using var dir = new TempDirectory();
        var path = dir.File("container.log");
        var writer = new CriLogWriter(path);
        var longLine = new string('y', 40_000);
        writer.Append(stderr: false, Encoding.UTF8.GetBytes("first\nsec"));
        writer.Append(stderr: true, Encoding.UTF8.GetBytes("warning\n"));
        writer.Append(stderr: false, Encoding.UTF8.GetBytes("ond\n" + longLine + "\n"));
        writer.Append(stderr: false, Encoding.UTF8.GetBytes("unterminated"));
        writer.Finish(stderr: false);
        var raw = File.ReadAllLines(path);
        Assert.All(raw, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [PF] ", l));
        Assert.Equal(2, raw.Count(l => l.Contains(" stdout P " + new string('y', 100))));
        var entries = new CriLogFile(path).ReadFirst(tail: null, since: null);
        Assert.Equal(new[] { "first", "warning", "second", longLine }, entries.Select(e => e.Text));
        Assert.Equal(LogStream.Stderr, entries[1].Stream);
    }
}
