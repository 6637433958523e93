using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using PodShell.Cmdlets;
using PodShell.Engine;
using Xunit;

namespace PodShell.Tests.Cmdlets;

public class ErrorBoundaryTests
{
    [Fact]
    public void AnEngineErrorKeepsItsIdCategoryTargetAndAdvice()
    {
        var record = ErrorBoundary.ToErrorRecord(PodEngineException.PodNotFound("foo"));
        Assert.Equal(ErrorIds.PodNotFound, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.Equal("foo", record.TargetObject);
        Assert.Contains("Get-Pod", record.ErrorDetails!.RecommendedAction);
    }

    public static IEnumerable<object[]> RawExceptions() => new[]
    {
        new object[] { new UnauthorizedAccessException("denied"), ErrorIds.RootRequired, ErrorCategory.PermissionDenied },
        new object[] { new IOException("disk"), ErrorIds.PodStateIOError, ErrorCategory.WriteError },
        new object[] { new ArgumentException("bad path"), ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument },
        new object[] { new FormatException("bad number"), ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument },
        new object[] { new PodShellException("no cpu controller"), ErrorIds.EngineFailed, ErrorCategory.NotSpecified },
        new object[] { new TimeoutException("slow"), ErrorIds.EngineFailed, ErrorCategory.OperationTimeout },
        new object[] { new InvalidOperationException("odd"), ErrorIds.EngineFailed, ErrorCategory.NotSpecified },
    };

    [Theory]
    [MemberData(nameof(RawExceptions))]
    public void EveryOtherExceptionGetsAStableIdAndCategory(Exception exception, string id, ErrorCategory category)
    {
        var record = ErrorBoundary.ToErrorRecord(exception, "target");
        Assert.Equal(id, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("target", record.TargetObject);
        Assert.Contains(exception.Message, record.Exception.Message);
    }

    [Fact]
    public void AnAggregateStandsForItsFirstFailureAndNamesTheOthers()
    {
        var aggregate = new AggregateException(PodEngineException.ContainerNotFound("p", "a"), new IOException("second"));
        var record = ErrorBoundary.ToErrorRecord(aggregate);
        Assert.Equal(ErrorIds.ContainerNotFound, record.FullyQualifiedErrorId);
        Assert.Contains("second", record.Exception.Message);
    }

    [Fact]
    public void ARollbackFailureNeverHidesTheOriginalError()
    {
        var original = new PodEngineException(ErrorIds.CommandNotFound, ErrorCategory.ObjectNotFound, "x", "No such command.");
        Rollback.Undo(original, () => throw new IOException("cgroup busy"));
        var record = ErrorBoundary.ToErrorRecord(original);
        Assert.Equal(ErrorIds.CommandNotFound, record.FullyQualifiedErrorId);
        Assert.StartsWith("No such command.", record.Exception.Message);
        Assert.Contains("cgroup busy", record.Exception.Message);
    }

    [Fact]
    public void CancellationIsFlowNotAnError()
    {
        Assert.True(ErrorBoundary.IsFlowControl(new OperationCanceledException()));
        Assert.True(ErrorBoundary.IsFlowControl(new PipelineStoppedException()));
        Assert.False(ErrorBoundary.IsFlowControl(new IOException()));
    }
}
