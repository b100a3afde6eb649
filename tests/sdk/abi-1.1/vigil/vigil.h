/* Vigil plugin ABI — everything. Include this from C plugins. */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H
#include "vigil/abi.h"
#include "vigil/app.h"
#include "vigil/cipher.h"
#include "vigil/feed.h"
#include "vigil/rule.h"
#include "vigil/store.h"
#include "vigil/transport.h"
#endif
