"""Warble's shared library: configuration, logging, utilities; vendored packages in vendor/."""
