"""Running the probes: resolve, refuse non-public addresses, probe each target concurrently within a bound."""

from __future__ import annotations

import asyncio
import gc
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from csmguard.scanners.endpoint.collect_ftp import FtpProtocolError, auth_tls_prelude, collect_ftp
from csmguard.scanners.endpoint.collect_ssh import SshProtocolError, collect_ssh
from csmguard.scanners.endpoint.collect_ssh_hostkey import collect_host_keys
from csmguard.scanners.endpoint.collect_tls import ConnectError, TlsToolkit, collect_tls, local_toolkit
from csmguard.scanners.endpoint.facts import EndpointFacts, EndpointTarget, Protocol
from csmguard.scanners.endpoint.policy import EndpointPolicy
from csmguard.scanning.addresses import AddressRefused, check_host
from csmguard.scanning.progress import Progress

# The whole of one target (every probe together) may take at most this many --timeout periods.
TARGET_BUDGET_FACTOR = 8


@dataclass(frozen=True)
class ProbeOptions:
    """How to probe: timeouts, the concurrency bound, what may be scanned, and the trust store."""

    timeout: float = 10.0
    concurrency: int = 20
    allow_private: bool = False
    try_login: bool = False
    ca_file: Path | None = None


@dataclass(frozen=True)
class TargetOutcome:
    """The facts read from a target, or why none could be read."""

    target: EndpointTarget
    facts: EndpointFacts | None = None
    error: str | None = None


class TargetRefused(Exception):
    """The target may not or cannot be scanned (a non-public address, a name that does not resolve …)."""


async def pick_address(target: EndpointTarget, allow_private: bool) -> str:
    """The address to connect to; refuses the target when any address of the name is not public.

    Every resolved address is checked (a name with one public and one private address is refused), and
    the connection goes to the checked address, so a second DNS answer cannot redirect it.
    """
    try:
        addresses = await asyncio.to_thread(check_host, target.host, target.port, allow_private=allow_private)
    except AddressRefused as exc:
        raise TargetRefused(str(exc)) from exc
    return addresses[0]


async def probe_target(target: EndpointTarget, policy: EndpointPolicy, toolkit: TlsToolkit,
                       options: ProbeOptions) -> EndpointFacts:
    """Read the facts of one target according to its protocol."""
    address = await pick_address(target, options.allow_private)
    timeout = options.timeout
    if target.protocol is Protocol.SFTP:
        ssh = await collect_ssh(address, target.port, timeout)
        if ssh.kex:
            keys, problem = await collect_host_keys(address, target.port, timeout, ssh.kex, ssh.host_key)
            ssh = replace(ssh, host_keys=keys, host_keys_error=problem)
        return EndpointFacts(target=target, address=address, ssh=ssh)
    if target.protocol is Protocol.FTP:
        ftp = await collect_ftp(address, target.port, timeout, try_login=options.try_login)
        tls = None
        if ftp.auth_tls:
            tls = await collect_tls(toolkit, policy.tls, address, target.port, target.host, timeout,
                                    prelude=auth_tls_prelude)
        return EndpointFacts(target=target, address=address, ftp=ftp, tls=tls)
    http_path = target.path if target.protocol is Protocol.HTTPS else None
    tls = await collect_tls(toolkit, policy.tls, address, target.port, target.host, timeout, http_path=http_path)
    return EndpointFacts(target=target, address=address, tls=tls)


class _Reclaimer:
    """Runs a full garbage collection after every ``every`` finished targets.

    asyncio's TLS transport and protocol (with a 256 KiB read buffer each) form reference cycles; they outlive
    a short connection long enough to reach the oldest generation, which Python collects rarely. Collecting
    after each batch keeps the scanner's memory tied to ``--concurrency`` rather than to the number of targets.
    """

    def __init__(self, every: int) -> None:
        self.every = max(1, every)
        self.done = 0

    def target_done(self) -> None:
        """Count one finished target; collect when a batch is complete."""
        self.done += 1
        if self.done % self.every == 0:
            gc.collect()


async def _guarded(target: EndpointTarget, policy: EndpointPolicy, toolkit: TlsToolkit, options: ProbeOptions,
                   semaphore: asyncio.Semaphore, progress: Progress, reclaimer: _Reclaimer) -> TargetOutcome:
    async with semaphore:
        budget = options.timeout * TARGET_BUDGET_FACTOR
        try:
            facts = await asyncio.wait_for(probe_target(target, policy, toolkit, options), budget)
            return TargetOutcome(target, facts=facts)
        except TargetRefused as exc:
            return TargetOutcome(target, error=str(exc))
        except ConnectError as exc:
            return TargetOutcome(target, error=str(exc))
        except TimeoutError:
            return TargetOutcome(target, error=f"no answer within the time allowed ({budget:g} s for the target, "
                                               f"{options.timeout:g} s per step)")
        except (SshProtocolError, FtpProtocolError) as exc:
            return TargetOutcome(target, error=f"unexpected answer: {exc}")
        except (OSError, ssl.SSLError, EOFError, asyncio.IncompleteReadError) as exc:
            return TargetOutcome(target, error=f"cannot connect or read: {exc or type(exc).__name__}")
        except Exception as exc:  # one target's surprise must not end the run for the others
            return TargetOutcome(target, error=f"internal error while probing: {type(exc).__name__}: {exc}"[:300])
        finally:
            reclaimer.target_done()
            progress.advance()


async def probe_all(targets: Sequence[EndpointTarget], policy: EndpointPolicy, options: ProbeOptions,
                    progress: Progress) -> list[TargetOutcome]:
    """Probe every target, at most ``options.concurrency`` at a time; outcomes in the order of ``targets``."""
    toolkit = local_toolkit(options.ca_file)
    semaphore = asyncio.Semaphore(max(1, options.concurrency))
    reclaimer = _Reclaimer(max(50, options.concurrency))
    return list(await asyncio.gather(*(_guarded(t, policy, toolkit, options, semaphore, progress, reclaimer)
                                       for t in targets)))


def collect_endpoints(targets: Sequence[EndpointTarget], policy: EndpointPolicy, options: ProbeOptions,
                      progress: Progress) -> list[TargetOutcome]:
    """Run :func:`probe_all` in a fresh event loop."""
    return asyncio.run(probe_all(targets, policy, options, progress))
