// A minimal FIX 4.4 dictionary: the session messages and the four
// market-data messages the feed uses (V, W, X, Y) plus BusinessMessageReject.
// Debian ships no FIX44.xml, and without a dictionary QuickFIX cannot parse
// repeating groups (NoMDEntries), so the feed carries its own. Fields the
// dictionary does not list are accepted (venues add their own), enumerations
// are not checked, and few fields are required, so it parses rather than
// polices. Compiled as C++14 (QuickFIX's headers need it).
#pragma once

#include <quickfix/DataDictionary.h>
#include <quickfix/DataDictionaryProvider.h>

#include <sstream>

namespace vigil {
namespace fixfeed {

inline const char* fix44_dictionary_xml() {
  return R"xml(<fix type="FIX" major="4" minor="4" servicepack="0">
 <header>
  <field name="BeginString" required="Y"/>
  <field name="BodyLength" required="Y"/>
  <field name="MsgType" required="Y"/>
  <field name="SenderCompID" required="Y"/>
  <field name="TargetCompID" required="Y"/>
  <field name="MsgSeqNum" required="Y"/>
  <field name="SendingTime" required="Y"/>
  <field name="PossDupFlag" required="N"/>
  <field name="PossResend" required="N"/>
  <field name="OrigSendingTime" required="N"/>
  <field name="SenderSubID" required="N"/>
  <field name="TargetSubID" required="N"/>
 </header>
 <messages>
  <message name="Heartbeat" msgtype="0" msgcat="admin">
   <field name="TestReqID" required="N"/>
  </message>
  <message name="TestRequest" msgtype="1" msgcat="admin">
   <field name="TestReqID" required="Y"/>
  </message>
  <message name="ResendRequest" msgtype="2" msgcat="admin">
   <field name="BeginSeqNo" required="Y"/>
   <field name="EndSeqNo" required="Y"/>
  </message>
  <message name="Reject" msgtype="3" msgcat="admin">
   <field name="RefSeqNum" required="Y"/>
   <field name="RefTagID" required="N"/>
   <field name="RefMsgType" required="N"/>
   <field name="SessionRejectReason" required="N"/>
   <field name="Text" required="N"/>
  </message>
  <message name="SequenceReset" msgtype="4" msgcat="admin">
   <field name="GapFillFlag" required="N"/>
   <field name="NewSeqNo" required="Y"/>
  </message>
  <message name="Logout" msgtype="5" msgcat="admin">
   <field name="Text" required="N"/>
  </message>
  <message name="Logon" msgtype="A" msgcat="admin">
   <field name="EncryptMethod" required="Y"/>
   <field name="HeartBtInt" required="Y"/>
   <field name="ResetSeqNumFlag" required="N"/>
   <field name="Username" required="N"/>
   <field name="Password" required="N"/>
  </message>
  <message name="BusinessMessageReject" msgtype="j" msgcat="app">
   <field name="RefSeqNum" required="N"/>
   <field name="RefMsgType" required="Y"/>
   <field name="BusinessRejectRefID" required="N"/>
   <field name="BusinessRejectReason" required="Y"/>
   <field name="Text" required="N"/>
  </message>
  <message name="MarketDataRequest" msgtype="V" msgcat="app">
   <field name="MDReqID" required="Y"/>
   <field name="SubscriptionRequestType" required="Y"/>
   <field name="MarketDepth" required="Y"/>
   <field name="MDUpdateType" required="N"/>
   <group name="NoMDEntryTypes" required="Y">
    <field name="MDEntryType" required="Y"/>
   </group>
   <group name="NoRelatedSym" required="Y">
    <field name="Symbol" required="Y"/>
    <field name="SecurityID" required="N"/>
    <field name="SecurityIDSource" required="N"/>
   </group>
  </message>
  <message name="MarketDataSnapshotFullRefresh" msgtype="W" msgcat="app">
   <field name="MDReqID" required="N"/>
   <field name="Symbol" required="Y"/>
   <group name="NoMDEntries" required="Y">
    <field name="MDEntryType" required="Y"/>
    <field name="MDEntryPx" required="N"/>
    <field name="Currency" required="N"/>
    <field name="MDEntrySize" required="N"/>
    <field name="MDEntryDate" required="N"/>
    <field name="MDEntryTime" required="N"/>
    <field name="QuoteCondition" required="N"/>
    <field name="MDEntryOriginator" required="N"/>
    <field name="QuoteEntryID" required="N"/>
    <field name="MDEntryPositionNo" required="N"/>
   </group>
  </message>
  <message name="MarketDataIncrementalRefresh" msgtype="X" msgcat="app">
   <field name="MDReqID" required="N"/>
   <group name="NoMDEntries" required="Y">
    <field name="MDUpdateAction" required="Y"/>
    <field name="DeleteReason" required="N"/>
    <field name="MDEntryType" required="N"/>
    <field name="MDEntryID" required="N"/>
    <field name="MDEntryRefID" required="N"/>
    <field name="Symbol" required="N"/>
    <field name="MDEntryPx" required="N"/>
    <field name="Currency" required="N"/>
    <field name="MDEntrySize" required="N"/>
    <field name="MDEntryDate" required="N"/>
    <field name="MDEntryTime" required="N"/>
    <field name="QuoteCondition" required="N"/>
    <field name="MDEntryOriginator" required="N"/>
    <field name="QuoteEntryID" required="N"/>
    <field name="MDEntryPositionNo" required="N"/>
   </group>
  </message>
  <message name="MarketDataRequestReject" msgtype="Y" msgcat="app">
   <field name="MDReqID" required="Y"/>
   <field name="MDReqRejReason" required="N"/>
   <field name="Text" required="N"/>
  </message>
 </messages>
 <trailer>
  <field name="CheckSum" required="Y"/>
 </trailer>
 <components>
 </components>
 <fields>
  <field number="7" name="BeginSeqNo" type="SEQNUM"/>
  <field number="8" name="BeginString" type="STRING"/>
  <field number="9" name="BodyLength" type="LENGTH"/>
  <field number="10" name="CheckSum" type="STRING"/>
  <field number="15" name="Currency" type="CURRENCY"/>
  <field number="16" name="EndSeqNo" type="SEQNUM"/>
  <field number="22" name="SecurityIDSource" type="STRING"/>
  <field number="34" name="MsgSeqNum" type="SEQNUM"/>
  <field number="35" name="MsgType" type="STRING"/>
  <field number="36" name="NewSeqNo" type="SEQNUM"/>
  <field number="43" name="PossDupFlag" type="BOOLEAN"/>
  <field number="45" name="RefSeqNum" type="SEQNUM"/>
  <field number="48" name="SecurityID" type="STRING"/>
  <field number="49" name="SenderCompID" type="STRING"/>
  <field number="50" name="SenderSubID" type="STRING"/>
  <field number="52" name="SendingTime" type="UTCTIMESTAMP"/>
  <field number="55" name="Symbol" type="STRING"/>
  <field number="56" name="TargetCompID" type="STRING"/>
  <field number="57" name="TargetSubID" type="STRING"/>
  <field number="58" name="Text" type="STRING"/>
  <field number="97" name="PossResend" type="BOOLEAN"/>
  <field number="98" name="EncryptMethod" type="INT"/>
  <field number="108" name="HeartBtInt" type="INT"/>
  <field number="112" name="TestReqID" type="STRING"/>
  <field number="122" name="OrigSendingTime" type="UTCTIMESTAMP"/>
  <field number="123" name="GapFillFlag" type="BOOLEAN"/>
  <field number="141" name="ResetSeqNumFlag" type="BOOLEAN"/>
  <field number="146" name="NoRelatedSym" type="NUMINGROUP"/>
  <field number="262" name="MDReqID" type="STRING"/>
  <field number="263" name="SubscriptionRequestType" type="CHAR"/>
  <field number="264" name="MarketDepth" type="INT"/>
  <field number="265" name="MDUpdateType" type="INT"/>
  <field number="267" name="NoMDEntryTypes" type="NUMINGROUP"/>
  <field number="268" name="NoMDEntries" type="NUMINGROUP"/>
  <field number="269" name="MDEntryType" type="CHAR"/>
  <field number="270" name="MDEntryPx" type="PRICE"/>
  <field number="271" name="MDEntrySize" type="QTY"/>
  <field number="272" name="MDEntryDate" type="UTCDATEONLY"/>
  <field number="273" name="MDEntryTime" type="UTCTIMEONLY"/>
  <field number="276" name="QuoteCondition" type="MULTIPLESTRINGVALUE"/>
  <field number="278" name="MDEntryID" type="STRING"/>
  <field number="279" name="MDUpdateAction" type="CHAR"/>
  <field number="280" name="MDEntryRefID" type="STRING"/>
  <field number="281" name="MDReqRejReason" type="CHAR"/>
  <field number="282" name="MDEntryOriginator" type="STRING"/>
  <field number="285" name="DeleteReason" type="CHAR"/>
  <field number="290" name="MDEntryPositionNo" type="INT"/>
  <field number="371" name="RefTagID" type="INT"/>
  <field number="372" name="RefMsgType" type="STRING"/>
  <field number="373" name="SessionRejectReason" type="INT"/>
  <field number="379" name="BusinessRejectRefID" type="STRING"/>
  <field number="380" name="BusinessRejectReason" type="INT"/>
  <field number="553" name="Username" type="STRING"/>
  <field number="554" name="Password" type="STRING"/>
  <field number="299" name="QuoteEntryID" type="STRING"/>
 </fields>
</fix>
)xml";
}

// The dictionary, lenient about fields it does not list.
inline FIX::DataDictionaryProvider fix44_dictionary_provider() {
  std::istringstream xml(fix44_dictionary_xml());
  std::shared_ptr<FIX::DataDictionary> dictionary(new FIX::DataDictionary(xml));
  dictionary->checkFieldsOutOfOrder(false);
  dictionary->checkUserDefinedFields(false);
  dictionary->allowUnknownMsgFields(true);
  FIX::DataDictionaryProvider provider;
  provider.addTransportDataDictionary(FIX::BeginString("FIX.4.4"), dictionary);
  return provider;
}

}  // namespace fixfeed
}  // namespace vigil
