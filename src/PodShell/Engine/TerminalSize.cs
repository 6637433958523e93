namespace PodShell.Engine;

public readonly record struct TerminalSize(int Columns, int Rows);
