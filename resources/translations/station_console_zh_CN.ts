<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>accounts</name>
    <message>
      <source>The password must have at least {n} characters.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A user name needs 1 to 64 characters and no spaces.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>An administrator already exists; sign in instead.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wrong user name or password.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This account is disabled. Ask the administrator.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Too many wrong passwords: this account is locked until {until}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No such user.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The user name {name} is taken.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The last active administrator cannot be demoted or disabled.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>backup</name>
    <message>
      <source>The backup {path} does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The backup {path} is not a database.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The backup {path} is damaged.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>Backup written to {path}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Restored from {path}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The previous database was kept as {path}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Audit log intact: {n} rows verified.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Audit log TAMPERED at row {seq}: {reason}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The database has {n} integrity problems.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Database integrity check passed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Imported {rows} rows: {added} added, {updated} updated.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Exported {n} rows to {path}.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>fields</name>
    <message>
      <source>Name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kind</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Community</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Address</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Latitude</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Longitude</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Notes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Contact person</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Phone</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Site</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Owner unit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Vendor</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Serial number</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>MAC address</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Firmware</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ONVIF address</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GB/T 28181 ID</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Networked to city</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Install date</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Main stream</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Main resolution</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Main codec</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub stream</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub resolution</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub codec</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>User name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Password</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Display name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Role</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>import</name>
    <message>
      <source>The file {path} is larger than 50 MB.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The file {path} is neither UTF-8 nor GB18030 text.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The file is empty.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown columns: {columns}. Expected: {expected}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The file has no 'name' column.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Row {row} has more cells than the header.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Row {row}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Row {row}: the same record as row {other} ({key}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing was imported: {n} rows have problems.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>inventory</name>
    <message>
      <source>The record {id} no longer exists.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Another record already uses {field} '{value}'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The chosen site or owner unit does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The record conflicts with an existing one.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{field} '{value}' is not registered.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This site still has {n} active cameras; move or retire them first.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>kinds</name>
    <message>
      <source>Key place</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Residential community</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Village</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Street shop</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>School</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Enterprise</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Road or junction</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Checkpoint</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Public security</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Property company</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Village committee</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Shop</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Installer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Other</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Bullet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dome / PTZ</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Class A</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Infrared alarm</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Alarm pole</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>permissions</name>
    <message>
      <source>view cameras</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>edit the inventory</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>import the inventory</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>export the inventory</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>manage users</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>read the audit log</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>change settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>back up the database</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>use camera credentials</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sign in first: this needs permission to {what}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Your role ({role}) may not {what}.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>roles</name>
    <message>
      <source>Duty officer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Community police</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Technician</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Duty leader</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Administrator</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>security</name>
    <message>
      <source>The station key in {where} is damaged.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A stored camera password is damaged; enter it again.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A stored camera password cannot be decrypted with this station's key; enter it again.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <source>{key} must be yes or no.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{key} must be a whole number.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{key} has the wrong type.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{key} must be one of: {choices}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{key} must be at least {n}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{key} must be at most {n}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Name of this station, shown in the title bar and reports.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Language of the console.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Lock the console after this many idle minutes (0: never).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>How camera streams are fetched: TCP (robust) or UDP.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Seconds of video kept in memory for incident clips.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Address of the district hub (empty: work alone).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>How many daily backups to keep.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Play a sound when a camera alarm is raised.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>storage</name>
    <message>
      <source>The disk holding the station database ({path}) is full; nothing was saved. Free some space and try again.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station database is busy; nothing was saved. Try again in a moment.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station database {path} is damaged and cannot be read. It has not been changed. Restore the latest backup.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station database {path} cannot be read ({reason}). It has not been changed. Restore the latest backup.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Another Station Console (process {pid}) is already using the data directory {path}. Close it first, or start this one with a different --data-dir.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station database was written by a newer version of Station Console (schema {found}, this program knows {known}). Install the newer version.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>validation</name>
    <message>
      <source>A GB/T 28181 device ID has exactly 20 digits; '{value}' does not.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GB/T 28181 device ID {value}: '{code}' is not a province code.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GB/T 28181 device ID {value}: type code {code} is not a camera (131 or 132).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not a MAC address (12 hex digits).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not an ONVIF address (http://host[:port]/onvif/device_service).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' has an invalid port.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not a stream address (rtsp://…).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not a date (YYYY-MM-DD).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not a number.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{value} is outside -{limit}…{limit}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not a phone number.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{field} must not be empty.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{field} is longer than {n} characters.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not a valid {field} (one of: {allowed}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{value}' is not yes/no.</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
