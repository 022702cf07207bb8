#ifndef TIDINGS_CLIBPQ_SHIM_H
#define TIDINGS_CLIBPQ_SHIM_H
/* libpq, by name: pkg-config (libpq) supplies the include path. */
#include <libpq-fe.h>
#include <poll.h>
#endif
