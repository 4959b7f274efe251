"""Warble's shared library: configuration, decorators, utilities; vendored packages in vendor/."""
