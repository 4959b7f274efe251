"""What tests and benchmarks share: fixtures that start real servers (PostgreSQL, Redis, SMTP,
sshd, browsers), clients, data generators and the stack the fault runs drive."""
