// PodShell.dll and podshell-init are Linux-only (SupportedOSPlatform linux); so are their tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
