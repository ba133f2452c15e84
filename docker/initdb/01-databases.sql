-- One database per node; the nodes create their tables themselves at start-up.
CREATE DATABASE logsync_a;
CREATE DATABASE logsync_b;
CREATE DATABASE logsync_c;
