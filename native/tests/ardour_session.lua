-- CoPilot in a real host: Ardour (headless, Dummy backend) creates a session, inserts CoPilot on a
-- MIDI track, changes two parameters, rolls the transport, saves; then reloads the session and checks
-- that the plugin came back with its state (getState/setState through a real host's project file).
local dir = assert(os.getenv("SESS_DIR"), "SESS_DIR not set")
local phase = assert(os.getenv("PHASE"), "PHASE not set")

local function copilot()
  for r in Session:get_routes():iter() do
    local t = r:to_track()
    if not t:isnil() then
      local i = 0
      while true do
        local p = r:nth_plugin(i)
        if p:isnil() then break end
        if p:display_name() == "CoPilot" then return p end
        i = i + 1
      end
    end
  end
  return nil
end

local function roll(seconds)
  Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
  local waited = 0
  while waited < seconds do sleep(0.1); waited = waited + 0.1 end
  local pos = Session:transport_sample()
  Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
  sleep(0.3)
  return pos
end

if phase == "create" then
  assert(create_session(dir, "copilot", 48000), "create_session failed")
  local tl = Session:new_midi_track(ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1),
    ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2), true, ARDOUR.PluginInfo(), nil, nil, 1, "MIDI",
    ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true, false)
  assert(tl:size() == 1, "new_midi_track failed")
  local proc = ARDOUR.LuaAPI.new_plugin(Session, "CoPilot", ARDOUR.PluginType.VST3, "")
  assert(not proc:isnil(), "CoPilot not found by Ardour (scan it first)")
  assert(tl:front():add_processor_by_index(proc, 0, nil, true) == 0, "inserting CoPilot failed")
  local plug = proc:to_insert():plugin(0)
  assert(plug:parameter_label(2) == "Transpose", "unexpected parameter 2: " .. plug:parameter_label(2))
  assert(plug:parameter_label(6) == "Creativity", "unexpected parameter 6: " .. plug:parameter_label(6))
  assert(ARDOUR.LuaAPI.set_processor_param(proc, 2, -7), "set Transpose failed")
  assert(ARDOUR.LuaAPI.set_processor_param(proc, 6, 80), "set Creativity failed")
  local pos = roll(1.2)
  assert(pos > 24000, "transport did not roll: " .. pos)
  local ok, t = proc:to_insert():get_stats(0, 0, 0, 0)
  assert(ok, "CoPilot's process() was never timed: not running in the session")
  print("ardour: rolled to", pos, "CoPilot process() min/max/avg us", t[1], t[2], t[3])
  assert(Session:save_state("", false, false, false, false, false) == 0, "save_state failed")
  close_session()
  print("ardour: saved")
else
  assert(load_session(dir, "copilot"), "load_session failed")
  local proc = copilot()
  assert(proc, "CoPilot missing after reload")
  local transpose = ARDOUR.LuaAPI.get_processor_param(proc, 2)
  local creativity = ARDOUR.LuaAPI.get_processor_param(proc, 6)
  print("ardour: reloaded Transpose", transpose, "Creativity", creativity)
  assert(math.abs(transpose - (-7)) < 0.01, "Transpose not restored: " .. transpose)
  assert(math.abs(creativity - 80) < 0.01, "Creativity not restored: " .. creativity)
  local pos = roll(0.6)
  assert(pos > 12000, "transport did not roll after reload: " .. pos)
  close_session()
  print("ardour: reload ok")
end
