"""The gRPC edge: MicroPosts and the Analyzer as gRPC services over the same controllers and
rules as REST, served by `rpc.py` in a process of its own."""
