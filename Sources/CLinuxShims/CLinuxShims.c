// A C target needs one source file; CLinuxShims is declarations only (include/CLinuxShims.h).
#include "CLinuxShims.h"
