-- Argo CD health check for dbguard.io/DatabaseMigration.
-- Healthy     when the Ready condition is True (for the current generation).
-- Degraded    when Stalled is True, or the phase is RolledBack, Failed, Rejected or Blocked.
-- Suspended   when the phase is AwaitingApproval (spec.approval Manual: a human approves the plan
--             with dbguard.io/approve=<status.revision>).
-- Progressing otherwise: no status yet, a status written for an older generation (the spec
--             changed, e.g. a new image, and the operator has not looked at it yet: whatever it
--             says is about the old spec), a step running.
-- Install: docs/install.md, "Argo CD health check".
local hs = { status = "Progressing", message = "Waiting for the dbguard operator" }
if obj.status == nil then
  return hs
end
local st = obj.status
local generation = obj.metadata and obj.metadata.generation
-- A status of an older generation describes the old spec (kstatus observedGeneration rule): a
-- fix committed after a failure must not read Degraded before the operator has seen it.
if generation ~= nil and st.observedGeneration ~= nil and st.observedGeneration ~= generation then
  hs.message = "Waiting for the dbguard operator to look at generation " .. generation
  return hs
end
-- A condition counts only when it describes the current spec (kstatus observedGeneration rule).
local function current(c)
  return generation == nil or c.observedGeneration == nil or c.observedGeneration == generation
end
local ready, stalled
if st.conditions ~= nil then
  for _, c in ipairs(st.conditions) do
    if c.type == "Ready" and current(c) then
      ready = c
    elseif c.type == "Stalled" and current(c) then
      stalled = c
    end
  end
end
local function describe(c, fallback)
  local text = fallback
  if c ~= nil then
    if c.reason ~= nil and c.reason ~= "" then
      text = c.reason
    end
    if c.message ~= nil and c.message ~= "" then
      text = text .. ": " .. c.message
    end
  end
  return text
end
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end
local phase = st.phase
if phase == "RolledBack" or phase == "Failed" or phase == "Rejected" or phase == "Blocked" then
  hs.status = "Degraded"
  hs.message = describe(ready, phase)
  return hs
end
if phase == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = describe(ready, phase)
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end
if phase ~= nil then
  hs.message = describe(ready, phase)
end
return hs
