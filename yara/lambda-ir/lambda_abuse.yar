/*
  lambda-ir's own rules for abuse specific to AWS Lambda.
  Author: lambda-ir developers. License: same as lambda-ir.
*/

rule lambda_ir_credential_exfiltration
{
    meta:
        author = "lambda-ir"
        description = "Reads the function's role credentials (environment variables or /proc/self/environ) and has code that sends data out"
        severity = "critical"
    strings:
        $env1 = "AWS_SECRET_ACCESS_KEY"
        $env2 = "AWS_SESSION_TOKEN"
        $proc = "/proc/self/environ"
        $net1 = "requests.post"
        $net2 = "urllib.request"
        $net3 = "https.request"
        $net4 = "http.request"
        $net5 = "fetch("
        $net6 = ".connect(("
        $net7 = "curl "
    condition:
        (any of ($env*) or $proc) and any of ($net*)
}

rule lambda_ir_container_credentials_endpoint
{
    meta:
        author = "lambda-ir"
        description = "Names the container or instance credentials endpoint; AWS SDKs do too, so weigh it with the file it is in"
        severity = "medium"
    strings:
        $ecs = "169.254.170.2"
        $full = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
        $imds = "169.254.169.254/latest/meta-data/iam"
    condition:
        any of them
}

rule lambda_ir_extension_registration
{
    meta:
        author = "lambda-ir"
        description = "Registers a Lambda extension: code that runs beside every invocation of the function"
        severity = "high"
    strings:
        $register = "/2020-01-01/extension/register"
        $name = "Lambda-Extension-Name"
        $next = "/2020-01-01/extension/event/next"
    condition:
        $register or ($name and $next)
}

rule lambda_ir_mining_pool
{
    meta:
        author = "lambda-ir"
        description = "Cryptocurrency mining pool or miner configuration"
        severity = "critical"
    strings:
        $s1 = "stratum+tcp://" nocase
        $s2 = "stratum+ssl://" nocase
        $s3 = "\"donate-level\""
        $s4 = "xmrig" nocase fullword
    condition:
        any of them
}

rule lambda_ir_reverse_shell
{
    meta:
        author = "lambda-ir"
        description = "Reverse shell: a shell wired to a network socket"
        severity = "critical"
    strings:
        $tcp = "/dev/tcp/"
        $bash = "bash -i"
        $nc = /\bnc(at)? (-[a-z]+ )*-e \/bin\/(ba)?sh/
        $sock = "socket.socket("
        $dup = "os.dup2("
        $pty = "pty.spawn("
    condition:
        ($tcp and $bash) or $nc or ($sock and $dup and $pty)
}

rule lambda_ir_obfuscated_exec
{
    meta:
        author = "lambda-ir"
        description = "Executes code decoded at run time (base64, zlib, char codes)"
        severity = "high"
    strings:
        $py = /exec\s*\(\s*(base64\.b64decode|zlib\.decompress|codecs\.decode|bytes\.fromhex)/
        $js1 = /eval\s*\(\s*(atob|Buffer\.from)\s*\(/
        $js2 = /new Function\s*\(\s*(atob|Buffer\.from)\s*\(/
    condition:
        any of them
}
